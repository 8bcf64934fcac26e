#include "core/migrator.hpp"

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/migration_name.hpp"
#include "core/preflight.hpp"
#include "pg/advisory_lock.hpp"
#include "pg/connect.hpp"
#include "pg/transaction_knex.hpp"

#include <pqxx/except>
#include <pqxx/nontransaction>
#include <spdlog/spdlog.h>

namespace sonamu {

namespace {

using steady = std::chrono::steady_clock;

std::chrono::milliseconds since(steady::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - start);
}

/// The message an operator needs from whatever a migration threw: PostgreSQL's own primary
/// message for SQL errors, the exception text otherwise.
std::string failure_message(const std::exception& e) {
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr) {
    // libpqxx 6 replaces the server's last words with its own; say what is known for sure.
    return "lost the connection to the server (the session was terminated, or the server or "
           "network went away); nothing of this transaction was committed";
  }
  if (dynamic_cast<const pqxx::failure*>(&e) != nullptr) return pg::one_line_reason(e.what());
  return e.what();
}

/// Commits, turning a lost connection during COMMIT into an explicit "outcome unknown".
void commit(pqxx::transaction_base& tx) {
  throw_if_interrupted();  // a signal before COMMIT means: do not commit
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

void Migrator::prepare_session() {
  // If this process dies (kill -9) during a long statement, the server notices within a
  // second and aborts it, releasing the transaction's locks and the advisory lock, instead
  // of running on until the statement ends (PostgreSQL 14 and later).
  if (cx_.server_version() >= 140000) {
    pqxx::nontransaction ntx(cx_);
    ntx.exec("SET client_connection_check_interval = 1000");
  }
}

std::vector<AppliedMigration> Migrator::read_checked(pqxx::transaction_base& tx, bool create) {
  const auto state = store_.inspect(tx);
  store_.validate(state);
  if (create) {
    store_.ensure_tables(tx, state);
  } else if (!state.migrations_table_exists) {
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

void Migrator::apply_limits(pqxx::transaction_base& tx, bool local) {
  // set_config(..., true) is SET LOCAL: the limits end with the transaction. Values are bound.
  const std::string scope = local ? "true" : "false";
  if (settings_.statement_timeout) {
    tx.exec_params("SELECT set_config('statement_timeout', $1, " + scope + ")",
                   *settings_.statement_timeout);
  }
  if (settings_.sql_lock_timeout) {
    tx.exec_params("SELECT set_config('lock_timeout', $1, " + scope + ")", *settings_.sql_lock_timeout);
  }
}

void Migrator::run_step(Direction direction, const Step& step, pqxx::transaction_base& tx) {
  throw_if_interrupted();
  reporter_.migration_started(direction, step.name);
  const auto start = steady::now();
  pg::TransactionKnex knex(tx, reporter_);
  if (direction == Direction::up) {
    step.migration->up(knex);
  } else {
    step.migration->down(knex);
  }
  reporter_.migration_finished(direction, step.name, since(start));
}

void Migrator::finish_part(Direction direction, int batch, pqxx::transaction_base& tx,
                           const std::vector<Step>& done,
                           const std::vector<std::chrono::system_clock::time_point>& times) {
  if (direction == Direction::up) {
    std::vector<std::string> names;
    names.reserve(done.size());
    for (const auto& step : done) names.push_back(step.name);
    store_.record(tx, names, batch, times);
  } else {
    // The records go in the same transaction as the down functions: a crash at any point
    // leaves both, or neither.
    std::vector<std::int64_t> ids;
    ids.reserve(done.size());
    for (const auto& step : done) ids.push_back(step.id);
    store_.erase(tx, ids);
  }
}

ExitCode Migrator::execute(Direction direction, int batch, const std::vector<Step>& steps,
                           std::unique_ptr<pqxx::work> tx) {
  // A batch is one transaction, unless it holds migrations that cannot run in one: then it
  // runs in parts, each transactional run atomic, each non-transactional migration alone and
  // recorded right after it succeeds.
  // Every migration of the batch is rehearsed first: a builder misuse stops the batch before
  // any of its SQL is sent.
  for (const auto& step : steps) {
    const auto problem = definition_problem(direction == Direction::up ? step.migration->up
                                                                       : step.migration->down);
    if (problem) {
      reporter_.migration_failed(direction, step.name, "Invalid migration definition: " + *problem, "");
      return ExitCode::migration_failed;
    }
  }

  const auto transactional = [this](const Step& step) {
    return step.migration->transactional && !settings_.disable_transactions;
  };
  std::vector<std::vector<Step>> parts;
  for (const auto& step : steps) {
    if (parts.empty() || !transactional(step) || !transactional(parts.back().front())) {
      parts.emplace_back();
    }
    parts.back().push_back(step);
  }
  if (parts.size() > 1) {
    std::vector<std::pair<bool, std::vector<std::string>>> layout;
    for (const auto& part : parts) {
      std::vector<std::string> names;
      for (const auto& step : part) names.push_back(step.name);
      layout.emplace_back(transactional(part.front()), std::move(names));
    }
    reporter_.batch_in_parts(direction, batch, layout);
  }

  std::vector<std::string> committed;
  std::vector<std::string> all_names;
  for (const auto& step : steps) all_names.push_back(step.name);
  const auto not_committed = [&] {
    return std::vector<std::string>(all_names.begin() + static_cast<std::ptrdiff_t>(committed.size()),
                                    all_names.end());
  };

  for (const auto& part : parts) {
    const Step* current = nullptr;
    try {
      std::vector<std::chrono::system_clock::time_point> times;
      if (transactional(part.front())) {
        if (!tx) tx = std::make_unique<pqxx::work>(cx_);
        apply_limits(*tx, true);
        store_.set_table_lock(*tx);
        for (const auto& step : part) {
          current = &step;
          run_step(direction, step, *tx);
          times.push_back(std::chrono::system_clock::now());
        }
        current = nullptr;
        finish_part(direction, batch, *tx, part, times);
        store_.clear_table_lock(*tx);
        commit(*tx);
        tx.reset();
        spdlog::debug("committed {} migration(s) of batch {} in one transaction", part.size(), batch);
      } else {
        if (tx) {  // only the creation of the bookkeeping tables is pending in it
          commit(*tx);
          tx.reset();
        }
        {
          pqxx::nontransaction ntx(cx_);
          apply_limits(ntx, false);
          current = &part.front();
          run_step(direction, part.front(), ntx);
          times.push_back(std::chrono::system_clock::now());
          current = nullptr;
          ntx.exec("RESET statement_timeout; RESET lock_timeout");
        }
        pqxx::work record(cx_);
        finish_part(direction, batch, record, part, times);
        record.commit();  // no interrupt check: the migration itself already took effect
        spdlog::debug("ran {} without a transaction and recorded it", part.front().name);
      }
      for (const auto& step : part) committed.push_back(step.name);
    } catch (const Interrupted&) {
      tx.reset();
      if (!committed.empty()) reporter_.batch_partly_done(direction, batch, committed, not_committed());
      throw;
    } catch (const Error&) {
      throw;
    } catch (const std::exception& e) {
      tx.reset();
      if (const int signal_number = interrupt_signal()) {
        // The statement failed because the signal cancelled it.
        if (!committed.empty()) reporter_.batch_partly_done(direction, batch, committed, not_committed());
        throw Interrupted(signal_number);
      }
      if (current == nullptr) throw;  // bookkeeping failed, not a migration
      const auto* sql_error = dynamic_cast<const pqxx::sql_error*>(&e);
      reporter_.migration_failed(direction, current->name, failure_message(e),
                                 sql_error != nullptr ? sql_error->sqlstate() : std::string());
      if (!committed.empty()) reporter_.batch_partly_done(direction, batch, committed, not_committed());
      return ExitCode::migration_failed;
    }
  }
  reporter_.batch_committed(direction, batch, all_names);
  return ExitCode::ok;
}

ExitCode Migrator::run(const std::optional<std::string>& to) {
  prepare_session();
  pg::AdvisoryLock lock(cx_, store_, settings_.lock_timeout);
  auto tx = std::make_unique<pqxx::work>(cx_);
  // Read after taking the lock: a runner that waited for another sees its work as done.
  const RunPlan plan = plan_run(known_, read_checked(*tx, true), to);
  if (plan.stems.empty()) {
    commit(*tx);  // keeps freshly created bookkeeping tables, as knex does
    reporter_.nothing_to_do(Direction::up);
    return ExitCode::ok;
  }
  std::vector<Step> steps;
  for (const auto& stem : plan.stems) steps.push_back({registry_.find(stem), display_name(stem), 0});
  return execute(Direction::up, plan.batch, steps, std::move(tx));
}

ExitCode Migrator::up() {
  prepare_session();
  pg::AdvisoryLock lock(cx_, store_, settings_.lock_timeout);
  auto tx = std::make_unique<pqxx::work>(cx_);
  const RunPlan plan = plan_up(known_, read_checked(*tx, true));
  if (plan.stems.empty()) {
    commit(*tx);
    reporter_.nothing_to_do(Direction::up);
    return ExitCode::ok;
  }
  return execute(Direction::up, plan.batch,
                 {{registry_.find(plan.stems.front()), display_name(plan.stems.front()), 0}},
                 std::move(tx));
}

ExitCode Migrator::revert_latest(
    const std::function<RollbackPlan(const std::vector<AppliedMigration>&)>& planner,
    bool& nothing_left, int& batch) {
  throw_if_interrupted();
  auto tx = std::make_unique<pqxx::work>(cx_);
  const RollbackPlan plan = planner(read_checked(*tx, true));
  nothing_left = plan.migrations.empty();
  batch = plan.batch;
  if (nothing_left) {
    commit(*tx);
    return ExitCode::ok;
  }
  std::vector<Step> steps;
  for (const auto& row : plan.migrations) steps.push_back({registry_.find(row.stem), row.name, row.id});
  return execute(Direction::down, plan.batch, steps, std::move(tx));
}

ExitCode Migrator::rollback() {
  prepare_session();
  pg::AdvisoryLock lock(cx_, store_, settings_.lock_timeout);
  bool nothing = false;
  int batch = 0;
  const ExitCode code = revert_latest(plan_rollback, nothing, batch);
  if (nothing) reporter_.nothing_to_do(Direction::down);
  return code;
}

ExitCode Migrator::down() {
  prepare_session();
  pg::AdvisoryLock lock(cx_, store_, settings_.lock_timeout);
  bool nothing = false;
  int batch = 0;
  const ExitCode code = revert_latest(plan_down, nothing, batch);
  if (nothing) reporter_.nothing_to_do(Direction::down);
  return code;
}

ExitCode Migrator::rollback_all() {
  // One lock for the whole command, one transaction per batch: each batch is atomic, and no
  // other runner can slip a batch in between.
  prepare_session();
  pg::AdvisoryLock lock(cx_, store_, settings_.lock_timeout);
  std::vector<int> done;
  for (;;) {
    bool nothing = false;
    int batch = 0;
    const ExitCode code = revert_latest(plan_rollback, nothing, batch);
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

bool Migrator::unlock() {
  // Taking the advisory lock without waiting proves no runner of this tool is active; a
  // knex process mid-batch holds the lock row itself, so the update waits at most 5 s for it.
  std::optional<pg::AdvisoryLock> lock;
  try {
    lock.emplace(cx_, store_, std::chrono::milliseconds(0));
  } catch (const Error& e) {
    throw Error(ExitCode::locked,
                std::string("Refusing to unlock while a migration runner holds the lock: ") + e.what());
  }
  pqxx::work tx(cx_);
  const auto state = store_.inspect(tx);
  store_.validate(state);
  if (!state.lock_table_exists) return false;
  tx.exec("SET LOCAL lock_timeout = '5s'");
  const bool was_locked = store_.reset_table_lock(tx);
  commit(tx);
  return was_locked;
}

RecordChange Migrator::forget(const std::string& name) {
  // No corrupt-directory check here: forgetting a record whose file is gone is the point.
  pg::AdvisoryLock lock(cx_, store_, settings_.lock_timeout);
  pqxx::work tx(cx_);
  const auto state = store_.inspect(tx);
  store_.validate(state);
  const auto rows = state.migrations_table_exists ? store_.find_recorded(tx, migration_stem(name))
                                                  : std::vector<AppliedMigration>{};
  if (rows.empty()) throw Error(ExitCode::usage, "Migration '" + name + "' is not recorded as applied");
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) ids.push_back(row.id);
  store_.erase(tx, ids);
  commit(tx);
  return {rows.front().name, rows.front().batch};
}

RecordChange Migrator::mark(const std::string& name) {
  pg::AdvisoryLock lock(cx_, store_, settings_.lock_timeout);
  pqxx::work tx(cx_);
  const auto applied = read_checked(tx, true);
  const std::string stem = migration_stem(name);
  if (registry_.find(stem) == nullptr) {
    throw Error(ExitCode::usage, "Unknown migration '" + name + "': it is not compiled into this binary");
  }
  for (const auto& row : applied) {
    if (row.stem == stem) throw Error(ExitCode::usage, "Migration '" + row.name + "' is already recorded");
  }
  const int batch = next_batch(applied);
  store_.record(tx, {display_name(stem)}, batch, {std::chrono::system_clock::now()});
  commit(tx);
  return {display_name(stem), batch};
}

}  // namespace sonamu
