#pragma once
/// What `migrate lint` learns from rehearsing the pending migrations (or the downs of what a
/// rollback would revert) in a transaction that is rolled back: each statement, and what it
/// did to the tables that existed before.

#include "core/order_check.hpp"
#include "core/statement_meter.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace sonamu {

/// One statement of a rehearsed migration.
struct MeasuredStatement {
  std::string sql;
  std::vector<TableEffect> effects;
  /// How long it ran (with the locks it took held); unset when it did not complete.
  std::optional<std::chrono::milliseconds> elapsed;
};

/// One migration, rehearsed (or why not).
struct MeasuredMigration {
  std::string name;
  std::vector<MeasuredStatement> statements;
  std::optional<std::string> skipped;  ///< why it was not rehearsed (it runs without a transaction)
  std::optional<std::string> failure;  ///< the error that stopped the rehearsal in it
};

/// The whole rehearsal.
struct LintRehearsal {
  bool rollback = false;  ///< the downs of what a rollback would revert
  std::vector<ExistingTable> existing;
  std::vector<MeasuredMigration> migrations;  ///< in the order they would run
  LateMigrations late;                        ///< pending migrations only
};

/// What to rehearse: the pending migrations (all, or up to `to`), or the downs of what a
/// rollback of the same options would revert.
struct LintRequest {
  bool rollback = false;
  bool all = false;               ///< with rollback: every batch, newest first
  std::optional<int> steps;       ///< with rollback: the last N migrations
  std::optional<std::string> to;  ///< pending: up to this one; rollback: everything after it
  bool single = false;            ///< one migration only (`up`, `down`)
  /// Refuse what the rollback itself would refuse in production (a report before running it
  /// must not lock the tables of a rollback that is then refused).
  bool guarded = false;
  /// PostgreSQL lock_timeout for the rehearsal instead of the command's (a report before a
  /// run waits only briefly for a lock; the run then waits as configured).
  std::optional<std::string> lock_timeout;
  /// PostgreSQL statement_timeout for the rehearsal instead of the command's (a report before
  /// a run must not double what a slow statement costs: it gives up instead).
  std::optional<std::string> statement_timeout;
};

}  // namespace sonamu
