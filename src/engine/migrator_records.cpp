// The commands that read or edit the records without running migrations: status, history,
// unlock, forget, mark and accept.
#include "engine/migrator.hpp"

#include "core/error.hpp"
#include "core/migration_name.hpp"
#include "core/order_check.hpp"
#include "core/record_check.hpp"

#include <algorithm>

namespace sonamu {

StatusReport Migrator::status() {
  // The common case in one statement: the rows, and a check that the table has exactly
  // knex's columns. Anything unusual takes the full, explaining path. Read-only transactions,
  // not autocommit: the limits are set with SET LOCAL, so behind a transaction pooler they
  // never stay with a pooled server connection.
  std::optional<std::vector<AppliedMigration>> applied;
  {
    auto tx = context_.begin_limited(TransactionKind::read_only);
    applied = context_.store.read_applied_if_plain(*tx);
  }
  if (!applied || !recorded_but_unknown(context_.known(), *applied).empty() || !record_problems(*applied).empty()) {
    auto tx = context_.begin_limited(TransactionKind::read_only);
    applied = records_.read_checked(*tx, false);
  }
  StatusReport report;
  if (!applied->empty()) {
    // Flyway's validate: an applied migration whose source differs from what was applied.
    auto tx = context_.begin_limited(TransactionKind::read_only);
    const auto recorded = context_.store.read_source_hashes(*tx);
    for (const auto& row : *applied) {
      const Migration* migration = context_.registry.find(row.stem);
      const auto hash = recorded.find(row.name);
      if (migration != nullptr && !migration->source_hash.empty() && hash != recorded.end() &&
          hash->second != migration->source_hash) {
        report.edited.push_back(row.name);
      }
    }
  }
  report.executed = group_by_batch(*applied);
  const auto waiting = pending(context_.known(), *applied);
  for (const auto& stem : waiting) report.pending.push_back(context_.display_name(stem));
  const auto late = late_pending(waiting, *applied);
  for (const auto& stem : late.stems) report.late.push_back(context_.display_name(stem));
  report.newest_applied = late.newest_applied;
  return report;
}

std::vector<HistoryRecord> Migrator::history(int limit) {
  auto tx = context_.begin_limited(TransactionKind::read_only);
  context_.store.validate(context_.store.inspect(*tx));
  return context_.store.read_history(*tx, limit);
}


std::optional<std::string> Migrator::unlock() {
  // Taking the migration lock without waiting proves no runner of this tool is active; a
  // knex process mid-batch holds the lock row itself, so the update waits for it at most
  // --lock-timeout-sql (5 s unless set).
  std::unique_ptr<MigrationLock> lock;
  try {
    lock = context_.migration_lock(std::chrono::milliseconds(0));
  } catch (const Error& e) {
    throw Error(ExitCode::locked,
                std::string("Refusing to unlock while a migration runner holds the lock: ") + e.what());
  }
  const auto tx = context_.session.begin(TransactionKind::read_write);
  try {
    context_.store.lock_transaction(*tx, std::chrono::milliseconds(0));
  } catch (const Error& e) {
    throw Error(ExitCode::locked,
                std::string("Refusing to unlock while a migration runner holds the lock: ") + e.what());
  }
  // After the migration lock's wait, which sets a lock_timeout of its own.
  tx->limit(context_.settings.limits);
  const auto state = context_.store.inspect(*tx);
  context_.store.validate(state);
  if (!state.lock_table_exists) return std::nullopt;
  const auto was_locked = context_.store.reset_table_lock(*tx);
  commit_unless_interrupted(*tx);
  return was_locked;
}

RecordChange Migrator::forget(const std::string& name) {
  // No corrupt-directory check here: forgetting a record whose file is gone is the point.
  const auto lock = context_.migration_lock(context_.settings.lock_timeout);
  const auto tx = context_.begin_locked();
  tx->limit(context_.settings.limits);
  const auto state = context_.store.inspect(*tx);
  context_.store.validate(state);
  const std::string stem = migration_stem(name);
  std::vector<AppliedMigration> rows;
  if (state.migrations_table_exists) {
    for (auto& row : context_.store.read_applied(*tx)) {
      if (row.stem == stem) rows.push_back(std::move(row));
    }
  }
  if (rows.empty()) throw Error(ExitCode::usage, "Migration '" + name + "' is not recorded as applied");
  // One record at a time: of duplicate records, the newest goes and the oldest stays.
  const AppliedMigration& newest = rows.back();
  context_.store.erase(*tx, {newest.id});
  context_.store.ensure_tables(*tx, state);
  // The applied source hash goes only with the last record of the name.
  if (rows.size() == 1) context_.store.erase_source_hashes(*tx, {newest.name});
  context_.store.append_history(*tx, {HistoryEntry::instant("forget", newest.name, newest.batch)});
  commit_unless_interrupted(*tx);
  return {newest.name, newest.batch};
}

RecordChange Migrator::mark(const std::string& name) {
  const auto lock = context_.migration_lock(context_.settings.lock_timeout);
  const auto tx = context_.begin_locked();
  tx->limit(context_.settings.limits);
  const auto applied = records_.read_checked(*tx, true);
  const std::string stem = migration_stem(name);
  if (context_.registry.find(stem) == nullptr) {
    throw Error(ExitCode::usage, "Unknown migration '" + name + "': it is not compiled into this binary");
  }
  for (const auto& row : applied) {
    if (row.stem == stem) throw Error(ExitCode::usage, "Migration '" + row.name + "' is already recorded");
  }
  const int batch = next_batch(applied);
  const auto entry = HistoryEntry::instant("mark", context_.display_name(stem), batch);
  context_.store.record(*tx, {entry.name}, batch, {entry.finished});
  if (const Migration* migration = context_.registry.find(stem); !migration->source_hash.empty()) {
    context_.store.record_source_hashes(*tx, {{entry.name, migration->source_hash}});
  }
  context_.store.append_history(*tx, {entry});
  commit_unless_interrupted(*tx);
  return {entry.name, batch};
}

RecordChange Migrator::accept(const std::string& name) {
  const auto lock = context_.migration_lock(context_.settings.lock_timeout);
  const auto tx = context_.begin_limited(TransactionKind::read_write);
  const auto applied = records_.read_checked(*tx, true);
  const std::string stem = migration_stem(name);
  const Migration* migration = context_.registry.find(stem);
  if (migration == nullptr) {
    throw Error(ExitCode::usage, "Unknown migration '" + name + "': it is not compiled into this binary");
  }
  const auto row = std::find_if(applied.begin(), applied.end(),
                                [&](const AppliedMigration& applied_row) { return applied_row.stem == stem; });
  if (row == applied.end()) throw Error(ExitCode::usage, "Migration '" + name + "' is not recorded as applied");
  if (migration->source_hash.empty()) {
    throw Error(ExitCode::usage, "Migration '" + row->name + "' was compiled without a source hash: nothing to accept");
  }
  context_.store.record_source_hashes(*tx, {{row->name, migration->source_hash}});
  context_.store.append_history(*tx, {HistoryEntry::instant("accept", row->name, row->batch)});
  commit_unless_interrupted(*tx);
  return {row->name, row->batch};
}

}  // namespace sonamu
