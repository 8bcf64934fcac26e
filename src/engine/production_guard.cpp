#include "core/error.hpp"
#include "engine/rollback_guard.hpp"

#include <set>

namespace sonamu {

RollbackPlan RollbackGuard::guarded(RollbackPlan plan) const {
  if (!context_.settings.production || context_.settings.dry_run) return plan;
  std::set<int> batches;
  for (const auto& row : plan.migrations) batches.insert(row.batch);
  if (batches.size() > 1 && context_.settings.force && !context_.settings.wide_rollback_confirmed) {
    // As `rollback --all --force`: off a terminal nothing else would ask.
    throw Error(ExitCode::usage,
                "Refusing in production a rollback of " + std::to_string(plan.migrations.size()) +
                    " migrations from " + std::to_string(batches.size()) +
                    " batches with --force but without --yes: stdin is not a terminal; pass --yes as well "
                    "if that is really intended");
  }
  if (batches.size() > 1 && !context_.settings.force) {
    // The same rule as for `rollback --all`: `--step 1000000` or `--to` an early migration
    // reverts as much, so it needs the same explicit --force.
    throw Error(ExitCode::usage,
                "Refusing in production a rollback of " + std::to_string(plan.migrations.size()) +
                    " migrations from " + std::to_string(batches.size()) +
                    " batches: it reverts more than the latest batch; pass --force if that is really intended");
  }
  return plan;
}

}  // namespace sonamu
