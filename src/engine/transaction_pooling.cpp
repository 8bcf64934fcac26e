#include "core/error.hpp"
#include "engine/batch_runner.hpp"

namespace sonamu {

void BatchRunner::refuse_outside_transactions_if_pooled(const std::vector<MigrationStep>& steps) {
  // A dry run skips such migrations anyway; it changes nothing.
  if (context_.settings.dry_run) return;
  const std::string pooler = context_.session.pooler();
  if (pooler.empty()) return;
  for (const auto& step : steps) {
    if (context_.transactional(step)) continue;
    // Behind a pooler the migration lock lives in each transaction only: nothing would hold
    // it between such a migration and its record, and another runner could run it too.
    // Refused before any change: the reading transaction rolls back with this exception.
    throw Error(ExitCode::usage,
                step.name + " runs without a transaction, which cannot be made safe behind a connection "
                            "pooler (here: " + pooler + "; PgBouncer pool_mode = " +
                    (pooler == "transaction pooling" ? "transaction" : "session") +
                    "): connect directly to PostgreSQL to run it");
  }
}

}  // namespace sonamu
