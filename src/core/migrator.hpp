#pragma once
/// Runs the five commands: reads the bookkeeping tables, plans, executes the migrations in
/// transactions and tells a Reporter what happened. Knows nothing of the command line.

#include "core/exit_code.hpp"
#include "core/plan.hpp"
#include "core/registry.hpp"
#include "core/reporter.hpp"
#include "pg/store.hpp"

#include <pqxx/connection_base>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sonamu {

/// Where the bookkeeping lives and how names are written.
struct MigratorSettings {
  pg::TableLocation location;
  std::string extension = ".cpp";  ///< appended to the stem in recorded names
  std::chrono::milliseconds lock_timeout{60000};
};

/// What `status` shows.
struct StatusReport {
  std::vector<BatchGroup> executed;
  std::vector<std::string> pending;  ///< display names (stem plus extension)
};

/// The migration engine for one connection.
class Migrator {
 public:
  Migrator(pqxx::connection_base& cx, const Registry& registry, Reporter& reporter,
           MigratorSettings settings);

  /// All pending migrations (or up to `to`) as one batch, in one transaction.
  ExitCode run(const std::optional<std::string>& to = std::nullopt);
  /// The next pending migration as a batch of its own.
  ExitCode up();
  /// The latest batch, newest first, in one transaction.
  ExitCode rollback();
  /// Every batch, newest first, each in its own transaction.
  ExitCode rollback_all();
  /// The single most recently applied migration.
  ExitCode down();
  /// Applied and pending migrations; never creates tables, never locks.
  StatusReport status();

 private:
  ExitCode apply(const std::function<RunPlan(const std::vector<AppliedMigration>&)>& planner);
  ExitCode revert(const std::function<RollbackPlan(const std::vector<AppliedMigration>&)>& planner,
                  bool& nothing_left, int& batch);
  std::vector<AppliedMigration> read_checked(pqxx::transaction_base& tx, bool create);
  std::string display_name(const std::string& stem) const;

  pqxx::connection_base& cx_;
  const Registry& registry_;
  Reporter& reporter_;
  MigratorSettings settings_;
  pg::Store store_;
  std::vector<std::string> known_;  ///< compiled stems, sorted
};

}  // namespace sonamu
