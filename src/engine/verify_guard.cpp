// What `verify` tells and refuses before it runs: its one transaction keeps every lock its
// migrations take until it ends, so it says so first, and a production database is verified
// only when that is asked for explicitly.
#include "core/error.hpp"
#include "engine/migrator.hpp"

namespace sonamu {

void Migrator::refuse_verify_in_production(const VerifyRequest& request) const {
  // The same decision of "production" as the rollback guards (MigratorSettings::production).
  if (!settings_.production || request.in_production) return;
  throw Error(ExitCode::usage,
              "Refusing `verify` in production: it keeps the locks its migrations take (ACCESS EXCLUSIVE for most "
              "schema changes) until it ends, and the application's queries of those tables wait; pass --force if "
              "that is really intended");
}

void Migrator::announce_verify(bool& announced) {
  if (announced) return;
  announced = true;
  reporter_.verify_holds_locks(settings_.limits.lock_timeout, settings_.limits.statement_timeout);
}

}  // namespace sonamu
