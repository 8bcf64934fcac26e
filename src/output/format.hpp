#pragma once
/// The exact text of the tool's output, as pure functions (unit-tested line for line).

#include "core/bookkeeping.hpp"
#include "core/data_check.hpp"
#include "core/reporter.hpp"
#include "engine/migrator.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace sonamu::cli {

/// How marks are drawn: the documented emoji by default, ANSI colours on a terminal, plain
/// ASCII (`[ok]`, `[pending]`, `[error]`) with NO_COLOR or --no-color.
struct Style {
  bool emoji = true;
  bool color = false;
};

/// "✅" or "[ok]", green on a colour terminal.
std::string ok_mark(const Style& style);
/// "⏳" or "[pending]", yellow on a colour terminal.
std::string pending_mark(const Style& style);
/// "❌" or "[error]", red on a colour terminal.
std::string error_mark(const Style& style);

/// "1 migration", "2 migrations".
std::string count_migrations(std::size_t count);

/// "Batch 2 run: 1 migration" or "Batch 2 rolled back: 2 migrations"; batch 0 (migrations
/// from several batches) is "Rolled back: 3 migrations"; a dry run says "would".
std::string batch_line(Direction direction, int batch, std::size_t count, bool dry_run = false);

/// "⚠ users.phone: 12,345 non-null values will be deleted" or "⚠ posts: 1 row will be deleted".
std::string data_at_risk_line(const DataAtRisk& risk, const Style& style = {});

/// "users.age: 1 of 2 values differ, '025' → '25'", "users: 1 of 2 rows missing after down";
/// "of 10,000 sampled" when only the first rows of a large table were compared.
std::string drift_line(const ValueDrift& drift);

/// 12345 → "12,345".
std::string thousands(long long number);

/// "Running migration: name" or "Rolling back migration: name" (verbose).
std::string started_line(Direction direction, const std::string& name);

/// "❌ Error running name" or "❌ Error rolling back name".
std::string failed_line(Direction direction, const std::string& name, const Style& style = {});

/// "SQL: ..." with the bound values after it, as the verbose log shows a statement.
std::string statement_line(const std::string& sql, const std::vector<Param>& params);

/// "Already up to date" or "Already at the base migration".
std::string nothing_to_do_line(Direction direction);

/// The summary after `rollback --all` stopped at `failed_batch`.
std::string rollback_all_stopped_line(const std::vector<int>& done_batches, int failed_batch);

/// "Batch 3 runs in 3 parts: ..." for a batch holding non-transactional migrations.
std::string parts_line(Direction direction, int batch,
                       const std::vector<std::pair<bool, std::vector<std::string>>>& parts);

/// What a batch in parts left behind when it stopped.
std::string partly_done_line(Direction direction, int batch, const std::vector<std::string>& done,
                             const std::vector<std::string>& not_done);

/// The whole `history` output, newest first.
std::string history_text(const std::vector<HistoryRecord>& entries, const Style& style = {});

/// The whole `status` output, each line ending in a newline.
/// "⚠ NAME is pending but sorts before NEWEST, the newest applied migration (a branch merged
/// late?): it runs after it", one line per late migration.
std::vector<std::string> late_lines(const std::vector<std::string>& names, const std::string& newest_applied,
                                    const Style& style);

std::string status_text(const StatusReport& report, const Style& style = {});

}  // namespace sonamu::cli
