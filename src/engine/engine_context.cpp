#include "engine/engine_context.hpp"

#include "core/interrupt.hpp"
#include "core/migration_name.hpp"

namespace sonamu {

EngineContext::EngineContext(Session& session_in, BookkeepingStore& store_in, const Registry& registry_in,
                             Reporter& reporter_in, MigratorSettings settings_in)
    : session(session_in),
      store(store_in),
      registry(registry_in),
      reporter(reporter_in),
      settings(std::move(settings_in)) {
  known_.reserve(registry.migrations().size());
  for (const auto& migration : registry.migrations()) known_.push_back(migration.stem);
}

std::string EngineContext::display_name(const std::string& stem) const {
  const Migration* migration = registry.find(stem);
  return recorded_name(stem, migration != nullptr ? migration->source_file : "", settings.extension);
}

std::unique_ptr<MigrationLock> EngineContext::migration_lock(std::chrono::milliseconds timeout) {
  return session.lock(timeout, [this](const std::optional<MigrationLockWait>& wait) { reporter.migration_lock_wait(wait); });
}

MigrationStep EngineContext::step_of(const std::string& stem) const {
  return {registry.find(stem), display_name(stem), 0};
}

std::vector<MigrationStep> EngineContext::steps_of(const RollbackPlan& plan) const {
  std::vector<MigrationStep> steps;
  steps.reserve(plan.migrations.size());
  for (const auto& row : plan.migrations) steps.push_back({registry.find(row.stem), row.name, row.id, row.batch});
  return steps;
}

bool EngineContext::transactional(const MigrationStep& step) const {
  return step.migration->transactional && !settings.disable_transactions;
}

const Rehearsal& EngineContext::rehearsal(MigrationFn fn) {
  auto found = rehearsals_.find(fn);
  if (found == rehearsals_.end()) found = rehearsals_.emplace(fn, rehearse(fn)).first;
  return found->second;
}

std::unique_ptr<Transaction> EngineContext::begin_limited(TransactionKind kind) {
  auto tx = session.begin(kind);
  // Every statement of the command, reads included, gives up where the migrations would: a
  // session holding a bookkeeping table never keeps the tool waiting past the limits.
  tx->limit(settings.limits);
  return tx;
}

std::unique_ptr<Transaction> EngineContext::begin_locked() {
  auto tx = session.begin(TransactionKind::read_write);
  store.lock_transaction(*tx, settings.lock_timeout);
  return tx;
}

void commit_unless_interrupted(Transaction& tx) {
  throw_if_interrupted();
  tx.commit();
}

}  // namespace sonamu
