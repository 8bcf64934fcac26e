#pragma once
/// Runs the commands: reads the bookkeeping tables, plans, and hands the work to the engine's
/// parts (a batch to BatchRunner, a rollback's guards to RollbackGuard, verify to Verifier,
/// lint to LintRehearser), which tell a Reporter what happened. Knows no driver and no
/// command line: the database comes through the Session and BookkeepingStore interfaces.

#include "core/bookkeeping_store.hpp"
#include "core/database.hpp"
#include "core/exit_code.hpp"
#include "core/plan.hpp"
#include "core/registry.hpp"
#include "core/reporter.hpp"
#include "engine/applied_records.hpp"
#include "engine/batch_runner.hpp"
#include "engine/batch_transactions.hpp"
#include "engine/engine_context.hpp"
#include "engine/lint_rehearsal.hpp"
#include "engine/lint_rehearser.hpp"
#include "engine/migrator_settings.hpp"
#include "engine/retry_pacer.hpp"
#include "engine/rollback_guard.hpp"
#include "engine/verifier.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace sonamu {

/// What `status` shows.
struct StatusReport {
  std::vector<BatchGroup> executed;
  std::vector<std::string> pending;  ///< display names (stem plus extension)
  /// Applied migrations whose source changed since they were applied (the hash recorded
  /// when they ran differs from the compiled one), as recorded.
  std::vector<std::string> edited;
  std::vector<std::string> late;     ///< pending ones that sort before the newest applied one
  std::string newest_applied;        ///< that one, as recorded (empty when none is late)

  /// Behind the migrations of this binary: some are pending, or applied ones were edited
  /// since. What `status --check` fails on, alone and in a fleet.
  bool behind() const { return !pending.empty() || !edited.empty(); }
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
           MigratorSettings settings)
      : context_(session, store, registry, reporter, std::move(settings)) {}
  Migrator(const Migrator&) = delete;
  Migrator& operator=(const Migrator&) = delete;

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
  const std::optional<LintRehearsal>& dry_run_measured() { return transactions_.dry_lint(); }
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
  using Planner = std::function<RollbackPlan(const std::vector<AppliedMigration>&)>;
  using RunPlanner = std::function<RunPlan(const std::vector<AppliedMigration>&)>;

  /// The pending migrations `planner` picks, as one batch of `action`.
  ExitCode apply(const std::string& action, const RunPlanner& planner);
  /// A rollback command that reverts one plan of `planner` under one lock; `nothing` tells
  /// the reporter when there was nothing to revert.
  ExitCode revert_command(const std::string& action, const Planner& planner, const std::function<void()>& nothing);
  /// Reverts what `planner` picks from the records now; `nothing_left` when that is nothing.
  ExitCode revert_latest(const std::string& action, const Planner& planner, bool& nothing_left, int& batch);
  /// Checks the edited downs, the rehearsal and the data at risk of what `planner` picks
  /// (no transaction open meanwhile); returns the plan to run, read again afterwards, or
  /// the refusal's exit code.
  std::optional<ExitCode> guard_revert(const Planner& planner, RollbackPlan& plan, std::unique_ptr<Transaction>& tx);
  /// The guards of `rollback --all`, for all its batches at once.
  void guard_whole_rollback();
  /// Every applied migration, newest first, read in `tx`.
  std::vector<MigrationStep> all_applied_steps(std::unique_ptr<Transaction>& tx);

  EngineContext context_;
  BatchTransactions transactions_{context_};
  AppliedRecords records_{context_, transactions_};
  RetryPacer pacer_{context_};
  BatchRunner batches_{context_, transactions_, records_, pacer_};
  RollbackGuard guard_{context_, pacer_};
  Verifier verifier_{context_, records_, batches_};
  LintRehearser lint_{context_, records_, guard_};
  bool data_loss_checked_ = false;  ///< rollback --all measured and confirmed all its batches
};

}  // namespace sonamu
