#pragma once
/// What every part of the engine works on during one command: the database, the compiled
/// migrations, the reporter and the settings, and the migrations about to run as steps.

#include "core/bookkeeping_store.hpp"
#include "core/database.hpp"
#include "core/plan.hpp"
#include "core/registry.hpp"
#include "core/reporter.hpp"
#include "engine/migrator_settings.hpp"
#include "engine/rehearsal.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sonamu {

/// One migration to run, with its record.
struct MigrationStep {
  const Migration* migration = nullptr;
  std::string name;      ///< as displayed and recorded
  std::int64_t id = 0;   ///< the record to delete, when reverting
  int batch = 0;         ///< the record's batch, when reverting
};

/// The engine's shared view of one command. Not copied: the engine's parts keep references.
class EngineContext {
 public:
  EngineContext(Session& session, BookkeepingStore& store, const Registry& registry, Reporter& reporter,
                MigratorSettings settings);
  EngineContext(const EngineContext&) = delete;
  EngineContext& operator=(const EngineContext&) = delete;

  Session& session;
  BookkeepingStore& store;
  const Registry& registry;
  Reporter& reporter;
  const MigratorSettings settings;

  /// The compiled stems, sorted.
  const std::vector<std::string>& known() const { return known_; }
  /// Waits up to `timeout` for the migration lock, the reporter told of the wait.
  std::unique_ptr<MigrationLock> migration_lock(std::chrono::milliseconds timeout);
  /// A stem as displayed and recorded (core/migration_name.hpp: recorded_name).
  std::string display_name(const std::string& stem) const;
  /// The pending migration `stem` as a step (no record yet).
  MigrationStep step_of(const std::string& stem) const;
  /// The records a rollback plan reverts, as steps.
  std::vector<MigrationStep> steps_of(const RollbackPlan& plan) const;
  /// Whether `step` runs in a transaction (it may opt out; knex's option opts all out).
  bool transactional(const MigrationStep& step) const;
  /// What a run of `fn` that sends nothing showed; each function is rehearsed once per command.
  const Rehearsal& rehearsal(MigrationFn fn);
  /// A transaction whose statements run under the configured limits from its first one.
  std::unique_ptr<Transaction> begin_limited(TransactionKind kind);
  /// A read-write transaction holding the transaction-scoped migration lock.
  std::unique_ptr<Transaction> begin_locked();

 private:
  std::vector<std::string> known_;
  std::map<MigrationFn, Rehearsal> rehearsals_;
};

/// Commits, unless a signal arrived: then the transaction is rolled back instead.
void commit_unless_interrupted(Transaction& tx);

}  // namespace sonamu
