#include "core/migrator.hpp"

#include "core/error.hpp"
#include "pg/advisory_lock.hpp"
#include "pg/connect.hpp"
#include "pg/transaction_knex.hpp"

#include <pqxx/except>
#include <pqxx/transaction>

namespace sonamu {

namespace {

using steady = std::chrono::steady_clock;

std::chrono::milliseconds since(steady::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - start);
}

/// The message an operator needs from whatever a migration threw: PostgreSQL's own primary
/// message for SQL errors, the exception text otherwise.
std::string failure_message(const std::exception& e) {
  if (dynamic_cast<const pqxx::failure*>(&e) != nullptr) return pg::one_line_reason(e.what());
  return e.what();
}

/// Commits, turning a lost connection during COMMIT into an explicit "outcome unknown".
void commit(pqxx::transaction_base& tx) {
  try {
    tx.commit();
  } catch (const pqxx::in_doubt_error&) {
    throw Error(ExitCode::migration_failed,
                "The connection was lost while committing: the batch may or may not have been "
                "applied; check `sonamu migrate status`");
  }
}

}  // namespace

Migrator::Migrator(pqxx::connection_base& cx, const Registry& registry, Reporter& reporter,
                   MigratorSettings settings)
    : cx_(cx),
      registry_(registry),
      reporter_(reporter),
      settings_(std::move(settings)),
      store_(cx_, settings_.location) {
  known_.reserve(registry_.migrations().size());
  for (const auto& migration : registry_.migrations()) known_.push_back(migration.stem);
}

std::string Migrator::display_name(const std::string& stem) const {
  return stem + settings_.extension;
}

std::vector<AppliedMigration> Migrator::read_checked(pqxx::transaction_base& tx, bool create) {
  store_.require_schema(tx);
  if (create) {
    store_.ensure_tables(tx);
  } else if (!store_.migrations_table_exists(tx)) {
    return {};
  }
  auto applied = store_.read_applied(tx);
  const auto unknown = recorded_but_unknown(known_, applied);
  if (!unknown.empty()) {
    std::string list;
    for (const auto& name : unknown) list += (list.empty() ? "" : ", ") + name;
    throw Error(ExitCode::mismatch,
                "The migration directory is corrupt, the following files are missing: " + list);
  }
  return applied;
}

ExitCode Migrator::apply(const std::function<RunPlan(const std::vector<AppliedMigration>&)>& planner) {
  pg::AdvisoryLock lock(cx_, store_, settings_.lock_timeout);
  pqxx::work tx(cx_);
  // Read after taking the lock: a runner that waited for another sees its work as done.
  const RunPlan plan = planner(read_checked(tx, true));
  if (plan.stems.empty()) {
    commit(tx);  // keeps freshly created bookkeeping tables, as knex does
    reporter_.nothing_to_do(Direction::up);
    return ExitCode::ok;
  }
  store_.set_table_lock(tx);

  std::vector<std::string> names;
  std::vector<std::chrono::system_clock::time_point> times;
  for (const auto& stem : plan.stems) {
    const Migration* migration = registry_.find(stem);
    const std::string name = display_name(stem);
    reporter_.migration_started(Direction::up, name);
    const auto start = steady::now();
    try {
      pg::TransactionKnex knex(tx, reporter_);
      migration->up(knex);
    } catch (const std::exception& e) {
      reporter_.migration_failed(Direction::up, name, failure_message(e));
      return ExitCode::migration_failed;  // `tx` rolls back as it goes out of scope
    }
    reporter_.migration_finished(Direction::up, name, since(start));
    names.push_back(name);
    times.push_back(std::chrono::system_clock::now());
  }
  store_.record(tx, names, plan.batch, times);
  store_.clear_table_lock(tx);
  commit(tx);
  reporter_.batch_committed(Direction::up, plan.batch, names);
  return ExitCode::ok;
}

ExitCode Migrator::revert(
    const std::function<RollbackPlan(const std::vector<AppliedMigration>&)>& planner,
    bool& nothing_left, int& batch) {
  pqxx::work tx(cx_);
  const RollbackPlan plan = planner(read_checked(tx, true));
  nothing_left = plan.migrations.empty();
  batch = plan.batch;
  if (nothing_left) {
    commit(tx);
    return ExitCode::ok;
  }
  store_.set_table_lock(tx);

  std::vector<std::string> names;
  std::vector<std::int64_t> ids;
  for (const auto& row : plan.migrations) {
    const Migration* migration = registry_.find(row.stem);
    reporter_.migration_started(Direction::down, row.name);
    const auto start = steady::now();
    try {
      pg::TransactionKnex knex(tx, reporter_);
      migration->down(knex);
    } catch (const std::exception& e) {
      reporter_.migration_failed(Direction::down, row.name, failure_message(e));
      return ExitCode::migration_failed;
    }
    reporter_.migration_finished(Direction::down, row.name, since(start));
    names.push_back(row.name);
    ids.push_back(row.id);
  }
  // The records go in the same transaction as the down functions: a crash at any point
  // leaves both, or neither.
  store_.erase(tx, ids);
  store_.clear_table_lock(tx);
  commit(tx);
  reporter_.batch_committed(Direction::down, plan.batch, names);
  return ExitCode::ok;
}

ExitCode Migrator::run(const std::optional<std::string>& to) {
  return apply([&](const auto& applied) { return plan_run(known_, applied, to); });
}

ExitCode Migrator::up() {
  return apply([&](const auto& applied) { return plan_up(known_, applied); });
}

ExitCode Migrator::rollback() {
  pg::AdvisoryLock lock(cx_, store_, settings_.lock_timeout);
  bool nothing = false;
  int batch = 0;
  const ExitCode code = revert(plan_rollback, nothing, batch);
  if (nothing) reporter_.nothing_to_do(Direction::down);
  return code;
}

ExitCode Migrator::down() {
  pg::AdvisoryLock lock(cx_, store_, settings_.lock_timeout);
  bool nothing = false;
  int batch = 0;
  const ExitCode code = revert(plan_down, nothing, batch);
  if (nothing) reporter_.nothing_to_do(Direction::down);
  return code;
}

ExitCode Migrator::rollback_all() {
  // One lock for the whole command, one transaction per batch: each batch is atomic, and no
  // other runner can slip a batch in between.
  pg::AdvisoryLock lock(cx_, store_, settings_.lock_timeout);
  std::vector<int> done;
  for (;;) {
    bool nothing = false;
    int batch = 0;
    const ExitCode code = revert(plan_rollback, nothing, batch);
    if (code != ExitCode::ok) {
      reporter_.rollback_all_stopped(done, batch);
      return code;
    }
    if (nothing) break;
    done.push_back(batch);
  }
  if (done.empty()) {
    reporter_.nothing_to_do(Direction::down);
  } else {
    reporter_.all_rolled_back();
  }
  return ExitCode::ok;
}

StatusReport Migrator::status() {
  pqxx::read_transaction tx(cx_);
  const auto applied = read_checked(tx, false);
  StatusReport report;
  report.executed = group_by_batch(applied);
  for (const auto& stem : pending(known_, applied)) report.pending.push_back(display_name(stem));
  return report;
}

}  // namespace sonamu
