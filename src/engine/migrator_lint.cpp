// `migrate lint`: the pending migrations (or the downs of what a rollback would revert)
// rehearsed with a meter between their statements.
#include "engine/measuring_reporter.hpp"
#include "engine/edited_downs.hpp"
#include "engine/migrator.hpp"
#include "engine/silent_reporter.hpp"

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/migration_name.hpp"

namespace sonamu {

std::vector<Migrator::Step> Migrator::lint_steps(const LintRequest& request,
                                                 const std::vector<AppliedMigration>& applied) const {
  std::vector<Step> steps;
  if (!request.rollback) {
    const RunPlan plan = request.single ? plan_up(known_, applied) : plan_run(known_, applied, request.to);
    for (const auto& stem : plan.stems) steps.push_back({registry_.find(stem), display_name(stem), 0});
    return steps;
  }
  if (request.all) {
    for (const auto& plan : plan_rollback_all(applied)) {
      for (auto& step : steps_of(plan)) steps.push_back(std::move(step));
    }
    return steps;
  }
  if (request.to && registry_.find(migration_stem(*request.to)) == nullptr) {
    throw Error(ExitCode::usage,
                "Unknown migration '" + *request.to + "' given to --to: it is not compiled into this binary");
  }
  const RollbackPlan plan = request.to       ? plan_rollback_to(applied, *request.to)
                            : request.steps  ? plan_rollback_steps(applied, *request.steps)
                            : request.single ? plan_down(applied)
                                             : plan_rollback(applied);
  return steps_of(request.guarded ? guarded(plan) : plan);
}

LintRehearsal Migrator::rehearse_for_lint(const LintRequest& request) {
  // Under the migration lock, like a dry run: the statements take the real table locks (for
  // at most lock_timeout each) and everything is rolled back at the end.
  session_.prepare();
  const auto lock = session_.lock(settings_.lock_timeout);
  const auto tx = session_.begin(TransactionKind::read_write);
  StatementLimits limits = settings_.limits;
  if (request.lock_timeout) limits.lock_timeout = request.lock_timeout;
  if (request.statement_timeout) limits.statement_timeout = request.statement_timeout;
  tx->limit(limits);
  const auto applied = read_checked(*tx, false);
  const auto steps = lint_steps(request, applied);
  // A rehearsal rolls everything back: said, never refused.
  if (request.rollback) check_edited_downs(edited_steps(store_, *tx, steps), false);
  LintRehearsal result;
  result.rollback = request.rollback;
  if (!request.rollback) result.late = late_pending(pending(known_, applied), applied);
  const auto meter = session_.meter(*tx);
  result.existing = meter->existing();
  SilentReporter silent;
  MeasuringReporter measuring(silent, *meter, result.migrations, settings_.measure_filter);
  for (const auto& step : steps) {
    throw_if_interrupted();
    MeasuredMigration& measured = measuring.begin(step.name);
    if (!transactional(step)) {
      measured.skipped = "it runs without a transaction, so it cannot be rehearsed in one";
      continue;
    }
    const MigrationFn fn = request.rollback ? step.migration->down : step.migration->up;
    const Rehearsal& rehearsed = rehearsal(fn);
    if (rehearsed.definition_problem) {
      measured.failure = "Invalid migration definition: " + *rehearsed.definition_problem;
      break;
    }
    if (rehearsed.irreversible_reason) {
      measured.skipped = "irreversible: " + *rehearsed.irreversible_reason +
                         " (a rollback refuses it; with --force its down is not run)";
      continue;
    }
    try {
      tx->run(fn, measuring);
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
        break;
      }
      measured.skipped = std::string("irreversible: ") + e.what() +
                         " (a rollback refuses it; with --force its down is not run)";
      continue;
    } catch (const std::exception& e) {
      throw_if_interrupted();
      // The transaction is aborted: what follows cannot be rehearsed on top of it.
      measuring.fail(e.what());
      break;
    }
  }
  return result;  // `tx` rolls back here
}

}  // namespace sonamu
