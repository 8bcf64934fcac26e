#include "core/error.hpp"
#include "engine/migrator.hpp"

namespace sonamu {

void Migrator::refuse_outside_transactions_if_pooled(const std::vector<Step>& steps) {
  // A dry run skips such migrations anyway; it changes nothing.
  if (settings_.dry_run || !session_.transaction_pooling()) return;
  for (const auto& step : steps) {
    if (step.migration->transactional && !settings_.disable_transactions) continue;
    // Outside a transaction nothing holds the migration lock between its statements and its
    // record, and each statement may run in another server connection: refused before any
    // change, the reading transaction rolled back with this exception.
    throw Error(ExitCode::usage,
                step.name +
                    " runs without a transaction, which cannot be made safe behind a connection "
                    "pooler in transaction pooling mode (PgBouncer pool_mode = transaction): "
                    "connect directly to PostgreSQL, or through a pool in session mode");
  }
}

}  // namespace sonamu
