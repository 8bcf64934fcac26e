#include "engine/lint_rehearser.hpp"
#include "engine/edited_downs.hpp"
#include "engine/silent_reporter.hpp"

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/migration_name.hpp"
#include "core/order_check.hpp"

namespace sonamu {

std::vector<MigrationStep> LintRehearser::steps(const LintRequest& request,
                                                const std::vector<AppliedMigration>& applied) const {
  std::vector<MigrationStep> steps;
  if (!request.rollback) {
    const RunPlan plan =
        request.single ? plan_up(context_.known(), applied) : plan_run(context_.known(), applied, request.to);
    for (const auto& stem : plan.stems) steps.push_back(context_.step_of(stem));
    return steps;
  }
  if (request.all) {
    for (const auto& plan : plan_rollback_all(applied)) {
      for (auto& step : context_.steps_of(plan)) steps.push_back(std::move(step));
    }
    return steps;
  }
  if (request.to && context_.registry.find(migration_stem(*request.to)) == nullptr) {
    throw Error(ExitCode::usage,
                "Unknown migration '" + *request.to + "' given to --to: it is not compiled into this binary");
  }
  const RollbackPlan plan = request.to       ? plan_rollback_to(applied, *request.to)
                            : request.steps  ? plan_rollback_steps(applied, *request.steps)
                            : request.single ? plan_down(applied)
                                             : plan_rollback(applied);
  return context_.steps_of(request.guarded ? guard_.guarded(plan) : plan);
}

LintRehearsal LintRehearser::rehearse(const LintRequest& request) {
  // Under the migration lock, like a dry run: the statements take the real table locks (for
  // at most lock_timeout each) and everything is rolled back at the end.
  context_.session.prepare();
  const auto lock = context_.migration_lock(context_.settings.lock_timeout);
  const auto tx = context_.session.begin(TransactionKind::read_write);
  StatementLimits limits = context_.settings.limits;
  if (request.lock_timeout) limits.lock_timeout = request.lock_timeout;
  if (request.statement_timeout) limits.statement_timeout = request.statement_timeout;
  tx->limit(limits);
  const auto applied = records_.read_checked(*tx, false);
  const auto rehearsed = steps(request, applied);
  // A rehearsal rolls everything back: said, never refused.
  if (request.rollback) check_edited_downs(edited_steps(context_.store, *tx, rehearsed), false);
  LintRehearsal result;
  result.rollback = request.rollback;
  if (!request.rollback) result.late = late_pending(pending(context_.known(), applied), applied);
  const auto meter = context_.session.meter(*tx);
  result.existing = meter->existing();
  SilentReporter silent;
  MeasuringReporter measuring(silent, *meter, result.migrations, context_.settings.measure_filter);
  for (const auto& step : rehearsed) {
    throw_if_interrupted();
    if (!rehearse_step(request, step, *tx, measuring)) break;
  }
  return result;  // `tx` rolls back here
}

bool LintRehearser::rehearse_step(const LintRequest& request, const MigrationStep& step, Transaction& tx,
                                  MeasuringReporter& measuring) {
  const std::string refused = " (a rollback refuses it; with --force its down is not run)";
  MeasuredMigration& measured = measuring.begin(step.name);
  if (!context_.transactional(step)) {
    measured.skipped = "it runs without a transaction, so it cannot be rehearsed in one";
    return true;
  }
  const MigrationFn fn = request.rollback ? step.migration->down : step.migration->up;
  const Rehearsal& rehearsed = context_.rehearsal(fn);
  if (rehearsed.definition_problem) {
    measured.failure = "Invalid migration definition: " + *rehearsed.definition_problem;
    return false;
  }
  if (rehearsed.irreversible_reason) {
    measured.skipped = "irreversible: " + *rehearsed.irreversible_reason + refused;
    return true;
  }
  try {
    tx.run(fn, measuring);
  } catch (const Interrupted&) {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const IrreversibleMigration& e) {
    // Declared on a path the code-only rehearsal did not take. Statements it sent before
    // stay in the transaction: what follows would be rehearsed on a schema no rollback
    // leaves, so the rehearsal stops there.
    if (!measured.statements.empty()) {
      measuring.fail(std::string("declared irreversible after sending statements: ") + e.what());
      return false;
    }
    measured.skipped = std::string("irreversible: ") + e.what() + refused;
  } catch (const std::exception& e) {
    throw_if_interrupted();
    // The transaction is aborted: what follows cannot be rehearsed on top of it.
    measuring.fail(e.what());
    return false;
  }
  return true;
}

}  // namespace sonamu
