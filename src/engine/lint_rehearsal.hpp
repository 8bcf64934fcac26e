#pragma once
/// What `migrate lint` learns from rehearsing the pending migrations in a transaction that is
/// rolled back: each statement, and what it did to the tables that existed before.

#include "core/order_check.hpp"
#include "core/statement_meter.hpp"

#include <optional>
#include <string>
#include <vector>

namespace sonamu {

/// One statement of a rehearsed migration.
struct MeasuredStatement {
  std::string sql;
  std::vector<TableEffect> effects;
};

/// One pending migration, rehearsed (or why not).
struct MeasuredMigration {
  std::string name;
  std::vector<MeasuredStatement> statements;
  std::optional<std::string> skipped;  ///< why it was not rehearsed (it runs without a transaction)
  std::optional<std::string> failure;  ///< the error that stopped the rehearsal in it
};

/// The whole rehearsal.
struct LintRehearsal {
  std::vector<ExistingTable> existing;
  std::vector<MeasuredMigration> migrations;  ///< in the order they would run
  LateMigrations late;
};

}  // namespace sonamu
