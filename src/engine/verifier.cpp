#include "engine/verifier.hpp"

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/migration_name.hpp"

#include <algorithm>

namespace sonamu {

ExitCode Verifier::verify(const VerifyRequest& request) {
  refuse_in_production(request);
  announced_ = false;
  // Everything happens in one transaction that is always rolled back, under the lock so no
  // runner changes the schema meanwhile.
  context_.session.prepare();
  const auto lock = context_.migration_lock(context_.settings.lock_timeout);
  const auto tx = context_.begin_locked();
  tx->limit(context_.settings.limits);
  auto applied = records_.read_checked(*tx, true);
  if (request.all) applied = revert_applied(applied, *tx);
  std::vector<std::string> targets = pending(context_.known(), applied);
  if (request.name) targets = only_named(*request.name, targets, *tx);
  // Nothing pending: the command's value holds no verified migration, which its output says.
  if (targets.empty()) return ExitCode::ok;
  std::vector<std::string> names;
  for (const auto& stem : targets) names.push_back(context_.display_name(stem));
  context_.reporter.batch_started(Direction::up, 0, names);
  for (auto stem = targets.begin(); stem != targets.end(); ++stem) {
    const MigrationStep step = context_.step_of(*stem);
    const auto stop = verify_one(step, *tx);
    if (!stop) continue;
    // Each one not reached is named: a stop must not read as "the rest is fine".
    for (auto later = std::next(stem); later != targets.end(); ++later) {
      context_.reporter.migration_skipped(Direction::up, context_.display_name(*later),
                                          "not verified, " + step.name + " failed before it");
    }
    return *stop;
  }
  return ExitCode::ok;  // `tx` rolls back here
}

std::vector<AppliedMigration> Verifier::revert_applied(const std::vector<AppliedMigration>& applied,
                                                       Transaction& tx) {
  std::vector<MigrationStep> reverted;
  for (const auto& plan : plan_rollback_all(applied)) {
    for (auto& step : context_.steps_of(plan)) reverted.push_back(std::move(step));
  }
  // An irreversible migration cannot be reverted: it and everything older stay applied,
  // and it is reported as skipped, as a pending irreversible one is.
  std::size_t revertible = 0;
  std::optional<std::string> stop_reason;
  for (; revertible < reverted.size() && !stop_reason; ++revertible) {
    stop_reason = context_.rehearsal(reverted[revertible].migration->down).irreversible_reason;
  }
  if (stop_reason) --revertible;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < revertible; ++i) names.push_back(reverted[i].name);
  if (revertible > 0) announce();
  context_.reporter.batch_started(Direction::down, 0, names);
  for (std::size_t i = 0; i < revertible; ++i) runner_.run_step(Direction::down, reverted[i], tx);
  std::vector<AppliedMigration> kept;
  if (!stop_reason) return kept;
  const std::size_t older = reverted.size() - revertible - 1;
  context_.reporter.migration_skipped(
      Direction::down, reverted[revertible].name,
      "irreversible: " + *stop_reason +
          (older == 0 ? std::string()
                      : "; it and the " + std::to_string(older) + " older migration" + (older == 1 ? "" : "s") +
                            " stay applied and are not verified"));
  for (std::size_t i = revertible; i < reverted.size(); ++i) {
    for (const auto& row : applied) {
      if (row.id == reverted[i].id) kept.push_back(row);
    }
  }
  return kept;
}

std::vector<std::string> Verifier::only_named(const std::string& name, const std::vector<std::string>& pending_stems,
                                              Transaction& tx) {
  const std::string stem = migration_stem(name);
  if (context_.registry.find(stem) == nullptr) throw Error(ExitCode::usage, "Unknown migration '" + name + "'");
  const auto it = std::find(pending_stems.begin(), pending_stems.end(), stem);
  if (it == pending_stems.end()) {
    throw Error(ExitCode::usage, "Migration '" + name + "' is applied; roll it back first, or use --all");
  }
  // The pending migrations before it are applied first, unchecked, so it meets the schema
  // it was written for.
  for (auto before = pending_stems.begin(); before != it; ++before) {
    announce();
    runner_.run_step(Direction::up, context_.step_of(*before), tx);
  }
  return {stem};
}

std::optional<ExitCode> Verifier::verify_one(const MigrationStep& step, Transaction& tx) {
  if (!step.migration->transactional) {
    context_.reporter.migration_skipped(Direction::up, step.name,
                                        "it runs without a transaction, so it cannot be verified in one");
    return std::nullopt;
  }
  announce();
  Direction direction = Direction::up;
  try {
    if (const auto stop = compare_round_trip(step, tx, direction)) return stop;
    direction = Direction::up;
    runner_.run_step(Direction::up, step, tx);  // up must work again after down
  } catch (const IrreversibleMigration& e) {
    // Declared so by its author: nothing to compare. Its up stays applied for the next ones.
    context_.reporter.migration_skipped(Direction::down, step.name, std::string("irreversible: ") + e.what());
  } catch (const Interrupted&) {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    // A statement cancelled by Ctrl-C or SIGTERM is an interruption, not a failure.
    throw_if_interrupted();
    const auto* database_error = dynamic_cast<const DatabaseError*>(&e);
    context_.reporter.migration_failed(direction, step.name, e.what(),
                                       database_error != nullptr ? database_error->sqlstate() : std::string());
    return ExitCode::migration_failed;
  }
  return std::nullopt;
}

std::optional<ExitCode> Verifier::compare_round_trip(const MigrationStep& step, Transaction& tx,
                                                     Direction& direction) {
  // The rows present now are copied first (inside the same transaction, so the copies go
  // with it), then the catalog is read: the copies are temporary and not part of it.
  const auto written = tables_verified(step, tx, direction);
  const RowSnapshot rows = context_.session.snapshot_rows(tx, context_.settings.exact_count_bytes, written);
  const Catalog before = context_.session.catalog(tx);
  runner_.run_step(Direction::up, step, tx);
  direction = Direction::down;
  runner_.run_step(Direction::down, step, tx);
  const auto [left_behind, missing] = catalog_changes(before, tx);
  if (!left_behind.empty() || !missing.empty()) {
    context_.reporter.verified(step.name, left_behind, missing);
    // The schema is not what the next migrations expect: checking them would mislead.
    return ExitCode::migration_failed;
  }
  // The schema came back; did the values? A down that converts a column back can restore
  // its type and still change what it holds ('025' becomes '25').
  const DataCheck data = context_.session.compare_rows(tx, rows);
  const auto& declared = context_.rehearsal(step.migration->down).lossy_reason;
  if (!data.drifts.empty() && !declared) {
    context_.reporter.data_checked(step.name, data, declared);
    return ExitCode::migration_failed;
  }
  context_.reporter.verified(step.name, left_behind, missing);
  context_.reporter.data_checked(step.name, data, declared);
  return std::nullopt;
}

void Verifier::refuse_in_production(const VerifyRequest& request) const {
  // The same decision of "production" as the rollback guards (MigratorSettings::production).
  if (!context_.settings.production || request.in_production) return;
  throw Error(ExitCode::usage,
              "Refusing `verify` in production: it keeps the locks its migrations take (ACCESS EXCLUSIVE for most "
              "schema changes) until it ends, and the application's queries of those tables wait; pass --force if "
              "that is really intended");
}

void Verifier::announce() {
  if (announced_) return;
  announced_ = true;
  context_.reporter.verify_holds_locks(context_.settings.limits.lock_timeout,
                                       context_.settings.limits.statement_timeout);
}

}  // namespace sonamu
