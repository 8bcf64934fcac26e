// The commands that run migrations: run and up apply a batch; rollback, down, --to, --step
// and --all revert, each behind the rollback's guards.
#include "engine/migrator.hpp"
#include "engine/edited_downs.hpp"

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/migration_name.hpp"

namespace sonamu {

namespace {

/// Gives up a rollback command's migration lock when the command ends, however it ends.
struct CommandLockRelease {
  RollbackGuard& guard;
  ~CommandLockRelease() { guard.end_command(); }
};

}  // namespace

ExitCode Migrator::apply(const std::string& action, const RunPlanner& planner) {
  context_.session.prepare();
  const auto lock = context_.migration_lock(context_.settings.lock_timeout);
  std::unique_ptr<Transaction> tx;
  // Read after taking the lock: a runner that waited for another sees its work as done.
  const RunPlan plan = planner(records_.read_for_batch(transactions_.transaction(tx)));
  records_.check_order(plan.stems, records_.last_read());
  if (plan.stems.empty()) {
    transactions_.commit_part(tx);  // keeps freshly created bookkeeping tables, as knex does
    transactions_.end_dry_run();
    context_.reporter.nothing_to_do(Direction::up);
    return ExitCode::ok;
  }
  std::vector<MigrationStep> steps;
  for (const auto& stem : plan.stems) steps.push_back(context_.step_of(stem));
  const ExitCode code = batches_.run(action, Direction::up, plan.batch, steps, std::move(tx));
  transactions_.end_dry_run();
  return code;
}

ExitCode Migrator::run(const std::optional<std::string>& to) {
  return apply("run", [&](const auto& applied) { return plan_run(context_.known(), applied, to); });
}

ExitCode Migrator::up() {
  return apply("up", [&](const auto& applied) { return plan_up(context_.known(), applied); });
}

std::optional<ExitCode> Migrator::guard_revert(const Planner& planner, RollbackPlan& plan,
                                               std::unique_ptr<Transaction>& tx) {
  const auto steps = context_.steps_of(plan);
  const bool refuse_edited = context_.settings.production && !context_.settings.dry_run;
  check_edited_downs(edited_steps(context_.store, transactions_.transaction(tx), steps), refuse_edited);
  const auto refused = batches_.refuse_before_running(Direction::down, steps);
  // No transaction stays open while the data at risk is measured, shown and confirmed.
  transactions_.discard(tx);
  transactions_.end_dry_run();
  if (refused) return refused;
  guard_.check_data_loss(steps);
  // The advisory lock kept other runners of this tool out; a knex process may have moved.
  plan = planner(records_.read_for_batch(transactions_.transaction(tx)));
  guard_.check_unchanged(steps, context_.steps_of(plan));
  return std::nullopt;
}

ExitCode Migrator::revert_latest(const std::string& action, const Planner& planner, bool& nothing_left,
                                 int& batch) {
  throw_if_interrupted();
  std::unique_ptr<Transaction> tx;
  RollbackPlan plan = planner(records_.read_for_batch(transactions_.transaction(tx)));
  std::optional<ExitCode> refused;
  if (!plan.migrations.empty() && !data_loss_checked_) refused = guard_revert(planner, plan, tx);
  nothing_left = !refused && plan.migrations.empty();
  batch = plan.batch;
  if (refused) return *refused;
  if (nothing_left) {
    transactions_.commit_part(tx);
    return ExitCode::ok;
  }
  return batches_.run(action, Direction::down, plan.batch, context_.steps_of(plan), std::move(tx));
}

ExitCode Migrator::revert_command(const std::string& action, const Planner& planner,
                                  const std::function<void()>& nothing) {
  context_.session.prepare();
  guard_.lock_for_command();
  const CommandLockRelease release{guard_};
  bool nothing_left = false;
  int batch = 0;
  const ExitCode code = revert_latest(action, planner, nothing_left, batch);
  transactions_.end_dry_run();
  if (nothing_left) nothing();
  return code;
}

ExitCode Migrator::rollback() {
  return revert_command("rollback", plan_rollback, [&] { context_.reporter.nothing_to_do(Direction::down); });
}

ExitCode Migrator::down() {
  return revert_command("down", plan_down, [&] { context_.reporter.nothing_to_do(Direction::down); });
}

ExitCode Migrator::rollback_to(const std::string& name) {
  if (context_.registry.find(migration_stem(name)) == nullptr) {
    throw Error(ExitCode::usage, "Unknown migration '" + name + "' given to --to: it is not compiled into this binary");
  }
  return revert_command(
      "rollback", [&](const auto& applied) { return guard_.guarded(plan_rollback_to(applied, name)); },
      [&] { context_.reporter.nothing_after(context_.display_name(migration_stem(name))); });
}

ExitCode Migrator::rollback_steps(int steps) {
  return revert_command(
      "rollback", [&](const auto& applied) { return guard_.guarded(plan_rollback_steps(applied, steps)); },
      [&] { context_.reporter.nothing_to_do(Direction::down); });
}

std::vector<MigrationStep> Migrator::all_applied_steps(std::unique_ptr<Transaction>& tx) {
  std::vector<MigrationStep> steps;
  for (const auto& plan : plan_rollback_all(records_.read_for_batch(transactions_.transaction(tx)))) {
    for (auto& step : context_.steps_of(plan)) steps.push_back(std::move(step));
  }
  return steps;
}

void Migrator::guard_whole_rollback() {
  // The data at stake in the whole rollback is measured, shown and confirmed once.
  std::unique_ptr<Transaction> tx;
  const auto steps = all_applied_steps(tx);
  const bool refuse_edited = context_.settings.production && !context_.settings.dry_run;
  check_edited_downs(edited_steps(context_.store, transactions_.transaction(tx), steps), refuse_edited);
  if (steps.empty()) {
    transactions_.commit_part(tx);
    return;
  }
  transactions_.discard(tx);
  transactions_.end_dry_run();
  guard_.check_data_loss(steps);
  if (!guard_.lock_was_released()) return;
  const auto now = all_applied_steps(tx);
  transactions_.discard(tx);
  guard_.check_unchanged(steps, now);
}

ExitCode Migrator::rollback_all() {
  // One lock for the whole command, one transaction per batch: each batch is atomic, and no
  // other runner can slip a batch in between.
  context_.session.prepare();
  guard_.lock_for_command();
  const CommandLockRelease release{guard_};
  guard_whole_rollback();
  data_loss_checked_ = true;
  std::vector<int> done;
  ExitCode result = ExitCode::ok;
  for (;;) {
    bool nothing = false;
    int batch = 0;
    result = revert_latest("rollback", plan_rollback, nothing, batch);
    if (result != ExitCode::ok) {
      context_.reporter.rollback_all_stopped(done, batch);
      break;
    }
    if (nothing) break;
    done.push_back(batch);
  }
  data_loss_checked_ = false;
  transactions_.end_dry_run();
  if (result != ExitCode::ok) return result;
  if (done.empty()) {
    context_.reporter.nothing_to_do(Direction::down);
  } else {
    context_.reporter.all_rolled_back();
  }
  return ExitCode::ok;
}

ExitCode Migrator::verify(const VerifyRequest& request) { return verifier_.verify(request); }

LintRehearsal Migrator::rehearse_for_lint(const LintRequest& request) { return lint_.rehearse(request); }

}  // namespace sonamu
