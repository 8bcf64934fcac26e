#pragma once
/// The text of progress while a command works: the live status line of a terminal, and how a
/// lock wait and the sessions behind it are named (pure functions, unit-tested).

#include "core/lock_wait.hpp"
#include "core/reporter.hpp"
#include "output/format.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace sonamu::cli {

/// 5023 ms → "5.0 s".
std::string seconds_text(std::chrono::milliseconds elapsed);

/// `lock on "users" (AccessExclusiveLock) held by pid 4711, application "api", idle in
/// transaction for 12 s` (holders after the first joined with " and ").
std::string lock_wait_text(const LockWait& wait);

/// The verbose log line: `Waiting 5.0 s for lock on "users" ... held by pid 4711 ...`.
std::string waiting_line(const LockWait& wait, std::chrono::milliseconds waited);

/// The lines a failure that ended a lock wait adds after its `Error:` line: what it waited for,
/// then each holder's query.
std::vector<std::string> blocked_failure_lines(const LockWait& wait);

/// One statement on one line: runs of white space become one space.
std::string one_line(const std::string& text);

/// `text` cut to `columns` terminal columns (counting code points), "…" (or "..." without
/// emoji) marking the cut.
std::string fit_width(const std::string& text, std::size_t columns, const Style& style);

/// The status line's short account of a wait, who first: `"users" held by pid 4711 "api", idle
/// in transaction 12 s · AccessExclusiveLock`.
std::string lock_wait_brief(const LockWait& wait, const Style& style);

/// The same for the migration lock: `the migration lock held by pid 4711 "deploy", active 3 s`.
std::string migration_lock_brief(const MigrationLockWait& wait);

/// A migration's name shortened in the middle, its date and description kept:
/// `20261207…_add_bio.cpp` (`...` without emoji).
std::string short_migration_name(const std::string& name, const Style& style);

/// What the status line shows at one moment.
struct StatusState {
  std::string command;            ///< "run", "rollback --all", "verify", "run --dry-run", ...
  /// Before a batch: what the command does meanwhile ("measuring the data at risk"); then the
  /// batch, migration and their times are not shown, `phase_elapsed` is.
  std::optional<std::string> phase;
  std::chrono::milliseconds phase_elapsed{0};
  int batch = 0;                  ///< 0: none to name (a rehearsal)
  std::size_t index = 0;          ///< 1-based position of the current migration, 0 before the first
  std::size_t total = 0;
  std::string migration;          ///< empty before the first
  std::chrono::milliseconds migration_elapsed{0};
  std::chrono::milliseconds batch_elapsed{0};
  std::optional<std::string> waiting;    ///< lock_wait_brief or migration_lock_brief of the current wait
  std::optional<std::string> statement;  ///< the statement running, once it runs long
  unsigned frame = 0;             ///< animation frame of the spinner
};

/// `⠋ run · batch 3 · 2/5 20251220143200_add.cpp · 3.2 s (batch 10.4 s)`; while waiting, what
/// it waits for and who holds it first: `⠋ waiting for "users" held by pid 4711 "api", ... · run
/// · batch 3 · 2/5 ...`, so that a narrow terminal shows what a user needs to act. The
/// migration's name is shortened in the middle when the line is too long, then the line is cut
/// to `columns`; plain ASCII without emoji.
std::string status_line(const StatusState& state, std::size_t columns, const Style& style);

}  // namespace sonamu::cli
