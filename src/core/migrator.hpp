#pragma once
/// Runs the commands: reads the bookkeeping tables, plans, executes the migrations in
/// transactions and tells a Reporter what happened. Knows nothing of the command line.

#include "core/data_loss.hpp"
#include "core/exit_code.hpp"
#include "core/plan.hpp"
#include "core/registry.hpp"
#include "core/reporter.hpp"
#include "pg/store.hpp"

#include <pqxx/connection_base>
#include <pqxx/transaction>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sonamu {

/// Where the bookkeeping lives, how names are written, and the limits a batch runs under.
struct MigratorSettings {
  pg::TableLocation location;
  std::string extension = ".cpp";  ///< appended to the stem in recorded names
  std::chrono::milliseconds lock_timeout{60000};
  std::optional<std::string> statement_timeout;  ///< PostgreSQL `statement_timeout` for migrations
  std::optional<std::string> sql_lock_timeout;   ///< PostgreSQL `lock_timeout` for migrations
  bool disable_transactions = false;  ///< knex's option: every migration runs on its own
  bool dry_run = false;  ///< run everything in one transaction that is always rolled back
  bool force = false;    ///< roll back irreversible migrations (their record only)
  /// Asked before a rollback that deletes data; returning false cancels it. Unset: proceed.
  std::function<bool(const std::vector<DataAtRisk>&)> confirm_data_loss;
};

/// What `verify` checks.
struct VerifyRequest {
  bool all = false;                ///< from the base: revert what is applied first
  std::optional<std::string> name; ///< only this pending migration
};

/// What `status` shows.
struct StatusReport {
  std::vector<BatchGroup> executed;
  std::vector<std::string> pending;  ///< display names (stem plus extension)
};

/// What `forget` or `mark` changed.
struct RecordChange {
  std::string name;
  int batch = 0;
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
  /// Every migration applied after `name`, newest first, in one transaction.
  ExitCode rollback_to(const std::string& name);
  /// The last `steps` migrations, newest first, in one transaction.
  ExitCode rollback_steps(int steps);
  /// up → down → up of pending migrations in a transaction that is rolled back, comparing
  /// the catalog after down with the catalog before up.
  ExitCode verify(const VerifyRequest& request);
  /// The newest history entries, newest first.
  std::vector<pg::HistoryEntry> history(int limit);
  /// Applied and pending migrations; never creates tables, never locks.
  StatusReport status();
  /// Resets knex's lock row left at `is_locked = 1`; refuses while a runner holds the lock.
  /// Returns whether the row was locked.
  bool unlock();
  /// Deletes the record of `name` without running its down.
  RecordChange forget(const std::string& name);
  /// Records `name` as applied, in a new batch, without running its up.
  RecordChange mark(const std::string& name);

 private:
  /// One migration to run, with its record.
  struct Step {
    const Migration* migration = nullptr;
    std::string name;      ///< as displayed and recorded
    std::int64_t id = 0;   ///< the record to delete, when reverting
  };

  void prepare_session();
  pqxx::work& transaction(std::unique_ptr<pqxx::work>& tx);
  void commit_part(std::unique_ptr<pqxx::work>& tx);
  void end_dry_run();
  ExitCode revert_plan(const std::string& action, const RollbackPlan& plan,
                       std::unique_ptr<pqxx::work> tx);
  bool confirm_data_loss(pqxx::transaction_base& tx, const std::vector<Step>& steps);
  void record_failure(const std::string& action, const Step& step, int batch,
                      std::chrono::system_clock::time_point started, const std::string& error);
  std::vector<AppliedMigration> read_checked(pqxx::transaction_base& tx, bool create);
  ExitCode execute(const std::string& action, Direction direction, int batch,
                   const std::vector<Step>& steps, std::unique_ptr<pqxx::work> tx);
  void run_step(Direction direction, const Step& step, pqxx::transaction_base& tx);
  void finish_part(Direction direction, int batch, pqxx::transaction_base& tx,
                   const std::vector<Step>& done,
                   const std::vector<std::chrono::system_clock::time_point>& times);
  void apply_limits(pqxx::transaction_base& tx, bool local);
  ExitCode revert_command(const std::string& action,
                          const std::function<RollbackPlan(const std::vector<AppliedMigration>&)>& planner);
  ExitCode revert_latest(const std::string& action,
                         const std::function<RollbackPlan(const std::vector<AppliedMigration>&)>& planner,
                         bool& nothing_left, int& batch);
  std::string display_name(const std::string& stem) const;

  pqxx::connection_base& cx_;
  const Registry& registry_;
  Reporter& reporter_;
  MigratorSettings settings_;
  pg::Store store_;
  std::vector<std::string> known_;  ///< compiled stems, sorted
  std::unique_ptr<pqxx::work> dry_tx_;  ///< the one transaction of a dry run
  bool data_loss_checked_ = false;      ///< rollback --all confirmed for all its batches
};

}  // namespace sonamu
