#pragma once
/// Runs the commands: reads the bookkeeping tables, plans, rehearses, executes the migrations
/// in transactions and tells a Reporter what happened. Knows no driver and no command line:
/// the database comes through the Session and BookkeepingStore interfaces.

#include "core/bookkeeping_store.hpp"
#include "core/data_loss.hpp"
#include "core/database.hpp"
#include "core/exit_code.hpp"
#include "core/order_check.hpp"
#include "core/plan.hpp"
#include "core/registry.hpp"
#include "core/reporter.hpp"
#include "engine/lint_rehearsal.hpp"
#include "engine/lock_retry.hpp"
#include "engine/measuring_reporter.hpp"
#include "engine/rehearsal.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace sonamu {

/// One record a rollback reverts, as it was read. A migration reverted and applied again by
/// another runner has a new id: the same name is not the same record.
struct RecordToRevert {
  std::int64_t id = 0;
  std::string name;
};

/// Where the bookkeeping lives, how names are written, and the limits a batch runs under.
struct MigratorSettings {
  TableLocation location;
  std::string extension = ".cpp";  ///< appended to the stem in recorded names
  std::chrono::milliseconds lock_timeout{60000};
  StatementLimits limits;  ///< PostgreSQL `statement_timeout` and `lock_timeout` for migrations
  bool disable_transactions = false;  ///< knex's option: every migration runs on its own
  bool dry_run = false;  ///< run everything in one transaction that is always rolled back
  /// In a dry run, measure every statement for the lint report (dry_run_measured()).
  bool measure_dry_run = false;
  /// Which statements the lint report measures (all when unset): see MeasuringReporter.
  MeasureFilter measure_filter;
  bool force = false;    ///< roll back irreversible migrations (their record only)
  /// Production: without `force`, a rollback reverting more than one batch is refused.
  bool production = false;
  /// Production, with `force`: whether such a rollback was confirmed too (--yes, or a person at
  /// a terminal, who is asked before data is deleted). Unconfirmed, it is refused.
  bool wide_rollback_confirmed = true;
  /// Asked before a rollback that deletes data, once no transaction is open; returning false
  /// (or throwing) cancels it. Unset: proceed.
  std::function<bool(const std::vector<DataAtRisk>&)> confirm_data_loss;
  /// Whether confirm_data_loss may wait for a person: the migration lock is then released
  /// while it waits, and the rollback refused if the records changed meanwhile.
  bool confirmation_waits = false;
  /// Told the records a rollback is about to revert, before their data is confirmed (in a
  /// dry run too): a fleet's rehearsal keeps what each target's question is about.
  std::function<void(const std::vector<RecordToRevert>&)> records_to_revert;
  /// The records the rollback was confirmed for before this migrator started (a fleet asks
  /// once, from a rehearsal of every target). Reverting anything else is refused (exit 5),
  /// exactly as when the records change while this migrator's own question waits.
  std::optional<std::vector<RecordToRevert>> confirmed_records;
  /// Called once a rollback has passed every check that can refuse it, before it changes
  /// anything (the backup is taken here). Not called for a dry run.
  std::function<void()> before_revert;
  /// Tables up to this size have their data at risk counted exactly; above it, estimated.
  long long exact_count_bytes = 64LL * 1024 * 1024;
  /// How a batch that fails on a lock timeout or a deadlock is tried again.
  LockRetryPolicy retry;
  /// Pending migrations that sort before the newest applied one: warned about, or refused.
  OutOfOrderPolicy out_of_order = OutOfOrderPolicy::warn;
  /// Waits between attempts; unset: sleeps, stopping early on a signal.
  std::function<void(std::chrono::milliseconds)> pause;
};

/// What `verify` checks.
struct VerifyRequest {
  bool all = false;                ///< from the base: revert what is applied first
  std::optional<std::string> name; ///< only this pending migration
  bool in_production = false;      ///< --force: run in production too
};

/// What `status` shows.
struct StatusReport {
  std::vector<BatchGroup> executed;
  std::vector<std::string> pending;  ///< display names (stem plus extension)
  /// Applied migrations whose source changed since they were applied (the hash recorded
  /// when they ran differs from the compiled one), as recorded.
  std::vector<std::string> edited;
  std::vector<std::string> late;     ///< pending ones that sort before the newest applied one
  std::string newest_applied;        ///< that one, as recorded (empty when none is late)
};

/// What `forget` or `mark` changed.
struct RecordChange {
  std::string name;
  int batch = 0;
};

/// The migration engine for one session.
class Migrator {
 public:
  Migrator(Session& session, BookkeepingStore& store, const Registry& registry, Reporter& reporter,
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
  /// The pending migrations (or the downs of what a rollback would revert) rehearsed in a
  /// transaction that is rolled back, each statement measured: what `migrate lint` reports on.
  LintRehearsal rehearse_for_lint(const LintRequest& request = {});
  /// With MigratorSettings::measure_dry_run, what the last dry run measured of its statements
  /// (the same report as `lint`, taken in the dry run's own transaction); unset otherwise.
  const std::optional<LintRehearsal>& dry_run_measured() const { return dry_lint_; }
  /// The newest history lines, newest first.
  std::vector<HistoryRecord> history(int limit);
  /// Applied and pending migrations; never creates tables, never locks.
  StatusReport status();
  /// Resets knex's lock row left locked (`is_locked` not 0); refuses while a runner holds the
  /// lock. Returns the value it had, unset when it was not locked.
  std::optional<std::string> unlock();
  /// Deletes the record of `name` without running its down.
  RecordChange forget(const std::string& name);
  /// Records `name` as applied, in a new batch, without running its up.
  RecordChange mark(const std::string& name);
  /// Takes the compiled source of the applied migration `name` as the one it was applied
  /// with, so `status` stops marking it edited. Changes no schema.
  RecordChange accept(const std::string& name);

 private:
  /// One migration to run, with its record.
  struct Step {
    const Migration* migration = nullptr;
    std::string name;      ///< as displayed and recorded
    std::int64_t id = 0;   ///< the record to delete, when reverting
  };
  using Planner = std::function<RollbackPlan(const std::vector<AppliedMigration>&)>;

  Transaction& transaction(std::unique_ptr<Transaction>& tx);
  /// A transaction whose statements run under the configured limits from its first one.
  std::unique_ptr<Transaction> begin_limited(TransactionKind kind);
  /// A read-write transaction holding the transaction-scoped migration lock.
  std::unique_ptr<Transaction> begin_locked();
  /// Behind a connection pooler, throws sonamu::Error (usage) if a step would run outside a
  /// transaction (engine/transaction_pooling.cpp).
  void refuse_outside_transactions_if_pooled(const std::vector<Step>& steps);
  /// `plan`, unless production forbids it (engine/production_guard.cpp).
  RollbackPlan guarded(RollbackPlan plan) const;
  void hold_table_lock(Transaction& tx);
  void commit_part(std::unique_ptr<Transaction>& tx);
  void discard(std::unique_ptr<Transaction>& tx);
  void end_dry_run();
  const Rehearsal& rehearsal(MigrationFn fn);
  std::vector<Step> steps_of(const RollbackPlan& plan) const;
  /// What `request` rehearses, on the records `applied` (engine/migrator_lint.cpp).
  std::vector<Step> lint_steps(const LintRequest& request, const std::vector<AppliedMigration>& applied) const;
  /// The dry run's measuring reporter over `work`, made with its meter on first use.
  MeasuringReporter& dry_measuring(Transaction& work);
  /// What the downs of `steps` delete, measured again after a lock conflict as a batch is
  /// tried again; a single entry of kind LossKind::unknown when it could not be measured
  /// (engine/risk_measurement.cpp).
  std::vector<DataAtRisk> measure_data_at_risk(const std::vector<Step>& steps);
  /// One attempt of it; `running` names the down under way when it throws.
  std::vector<DataAtRisk> measure_once(const std::vector<Step>& steps, std::string& running);
  void check_data_loss(const std::vector<Step>& steps);
  /// Throws sonamu::Error (locked) if the lock was given up while asking and `now` is not
  /// what was confirmed (engine/confirmation_lock.cpp).
  void check_unchanged(const std::vector<Step>& confirmed, const std::vector<Step>& now) const;
  /// Tells records_to_revert what `steps` revert, and throws sonamu::Error (locked) if they
  /// are not the confirmed_records (engine/confirmation_lock.cpp).
  void check_confirmed_before(const std::vector<Step>& steps) const;
  bool transactional(const Step& step) const;
  std::set<std::string> invalid_indexes();
  void record_failure(const HistoryEntry& entry, bool may_create_tables);
  std::vector<AppliedMigration> only_known(std::vector<AppliedMigration> applied) const;
  std::vector<AppliedMigration> read_checked(Transaction& tx, bool create);
  std::vector<AppliedMigration> read_for_batch(Transaction& tx);
  std::optional<ExitCode> refuse_before_running(Direction direction, const std::vector<Step>& steps);
  ExitCode execute(const std::string& action, Direction direction, int batch,
                   const std::vector<Step>& steps, std::unique_ptr<Transaction> tx);
  /// Runs one migration's function; returns true when --force skipped an irreversible down.
  bool run_step(Direction direction, const Step& step, Transaction& tx);
  bool run_step(Direction direction, const Step& step, Transaction& tx, Reporter& reporter);
  /// up → down → up of one pending migration inside `tx`, comparing catalog and data;
  /// nullopt when it checked out, else the exit code to stop with.
  /// After a question: a session the server ended meanwhile stops the command, said plainly.
  void refuse_if_session_ended();
  std::optional<ExitCode> verify_one(const Step& step, Transaction& tx, bool& announced);
  /// Refuses verify in production unless asked for explicitly: it keeps its locks until it ends.
  void refuse_verify_in_production(const VerifyRequest& request) const;
  /// Tells the reporter, once (`announced`), that verify keeps its locks, and its limits.
  void announce_verify(bool& announced);
  /// The tables `step`'s up and down write to, learnt by running both once, undone
  /// (`direction`: which of them is running, for the report of a failure).
  std::set<std::string> tables_verified(const Step& step, Transaction& tx, Direction& direction);
  /// What differs from `before` in the catalog now, by the doing of `tx` alone.
  CatalogDifference catalog_changes(const Catalog& before, Transaction& tx);
  bool may_retry(const std::string& sqlstate, int attempt) const;
  /// Reports the failed attempt (`measuring`: of the measurement of the data at risk) and pauses.
  void wait_before_retry(Direction direction, const std::string& name, int attempt, const std::exception& e,
                         const std::string& sqlstate, bool measuring = false);
  void check_records_unchanged(Transaction& tx);
  void finish_part(Direction direction, int batch, Transaction& tx, const std::vector<Step>& done,
                   const std::vector<std::chrono::system_clock::time_point>& times);
  ExitCode revert_command(const std::string& action, const Planner& planner);
  ExitCode revert_latest(const std::string& action, const Planner& planner, bool& nothing_left,
                         int& batch);
  std::string display_name(const std::string& stem) const;
  void check_order(const std::vector<std::string>& stems, const std::vector<AppliedMigration>& applied);

  Session& session_;
  BookkeepingStore& store_;
  const Registry& registry_;
  Reporter& reporter_;
  MigratorSettings settings_;
  std::vector<std::string> known_;  ///< compiled stems, sorted
  std::unique_ptr<Transaction> dry_tx_;  ///< the one transaction of a dry run
  /// The meter of dry_tx_ and the reporter that measures with it (measure_dry_run); reset
  /// with dry_tx_.
  std::unique_ptr<StatementMeter> dry_meter_;
  std::unique_ptr<MeasuringReporter> dry_measuring_;
  std::optional<LintRehearsal> dry_lint_;
  /// The transaction that holds knex's lock row, compared by address only (never used).
  const Transaction* table_lock_holder_ = nullptr;
  bool data_loss_checked_ = false;       ///< rollback --all measured and confirmed all its batches
  /// The migration lock of a rollback, released while a person is asked (check_data_loss).
  std::unique_ptr<MigrationLock> lock_;
  bool lock_released_ = false;  ///< the lock was given up and taken again since the records were read
  std::map<MigrationFn, Rehearsal> rehearsals_;  ///< each function rehearsed once per command
  std::vector<AppliedMigration> last_read_;  ///< the records as a batch was planned on them
  RetryDelays delays_;
};

}  // namespace sonamu
