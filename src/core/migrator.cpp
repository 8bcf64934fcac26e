#include "core/migrator.hpp"

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/migration_name.hpp"
#include "core/preflight.hpp"
#include "pg/advisory_lock.hpp"
#include "pg/catalog_snapshot.hpp"
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
    try {
      step.migration->down(knex);
    } catch (const IrreversibleMigration&) {
      // Reached only with --force (the rehearsal refuses otherwise): the record goes, the
      // schema stays as it is.
      if (!settings_.force) throw;
    }
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

pqxx::work& Migrator::transaction(std::unique_ptr<pqxx::work>& tx) {
  if (settings_.dry_run) {
    // A dry run is one transaction from the first read to the end of the command.
    if (!dry_tx_) dry_tx_ = std::move(tx);
    if (!dry_tx_) dry_tx_ = std::make_unique<pqxx::work>(cx_);
    return *dry_tx_;
  }
  if (!tx) tx = std::make_unique<pqxx::work>(cx_);
  return *tx;
}

void Migrator::commit_part(std::unique_ptr<pqxx::work>& tx) {
  if (settings_.dry_run) return;  // rolled back by end_dry_run
  commit(*tx);
  tx.reset();
}

void Migrator::end_dry_run() { dry_tx_.reset(); }

void Migrator::record_failure(const std::string& action, const Step& step, int batch,
                              std::chrono::system_clock::time_point started, const std::string& error) {
  if (settings_.dry_run) return;
  try {
    pqxx::work tx(cx_);
    const auto state = store_.inspect(tx);
    if (!state.migrations_table_exists) return;  // the tables themselves were rolled back
    store_.ensure_tables(tx, state);
    store_.append_history(tx, {{action, step.name, batch, started, std::chrono::system_clock::now(),
                                false, error, "", 0, "", "", ""}});
    tx.commit();
  } catch (const std::exception& e) {
    spdlog::warn("could not record the failure in the history table: {}", e.what());
  }
}

bool Migrator::confirm_data_loss(pqxx::transaction_base& tx, const std::vector<Step>& steps) {
  if (data_loss_checked_) return true;  // rollback --all asked once for all its batches
  std::vector<Drop> drops;
  for (const auto& step : steps) {
    for (auto& drop : rehearse_drops(step.migration->down)) drops.push_back(std::move(drop));
  }
  const auto risks = pg::count_at_risk(tx, drops);
  if (risks.empty()) return true;
  reporter_.data_at_risk(risks);
  if (settings_.dry_run || !settings_.confirm_data_loss) return true;
  return settings_.confirm_data_loss(risks);
}

ExitCode Migrator::execute(const std::string& action, Direction direction, int batch,
                           const std::vector<Step>& steps, std::unique_ptr<pqxx::work> tx) {
  // Every migration of the batch is rehearsed first: a builder misuse, or a down that
  // declares itself irreversible, stops the batch before any of its SQL is sent.
  for (const auto& step : steps) {
    const MigrationFn fn = direction == Direction::up ? step.migration->up : step.migration->down;
    const auto problem = definition_problem(fn);
    if (problem) {
      reporter_.migration_failed(direction, step.name, "Invalid migration definition: " + *problem, "");
      return ExitCode::migration_failed;
    }
    if (direction == Direction::down && !settings_.force) {
      if (const auto reason = irreversible_reason(fn)) {
        reporter_.migration_failed(direction, step.name,
                                   "irreversible: " + *reason +
                                       " (--force deletes its record without running down)",
                                   "");
        return ExitCode::migration_failed;
      }
    }
  }

  // A batch is one transaction, unless it holds migrations that cannot run in one: then it
  // runs in parts, each transactional run atomic, each non-transactional migration alone and
  // recorded right after it succeeds.
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
    std::vector<std::string> rest;
    for (const auto& name : all_names) {
      if (std::find(committed.begin(), committed.end(), name) == committed.end()) rest.push_back(name);
    }
    return rest;
  };

  for (const auto& part : parts) {
    const Step* current = nullptr;
    auto current_started = std::chrono::system_clock::now();
    try {
      std::vector<std::chrono::system_clock::time_point> times;
      std::vector<pg::HistoryEntry> history;
      const auto track = [&](const Step& step, std::chrono::system_clock::time_point started) {
        const auto finished = std::chrono::system_clock::now();
        times.push_back(finished);
        history.push_back({action, step.name, batch, started, finished, true, "", "", 0, "", "", ""});
      };
      if (transactional(part.front())) {
        pqxx::work& work = transaction(tx);
        apply_limits(work, true);
        store_.set_table_lock(work);
        for (const auto& step : part) {
          current = &step;
          current_started = std::chrono::system_clock::now();
          run_step(direction, step, work);
          track(step, current_started);
        }
        current = nullptr;
        finish_part(direction, batch, work, part, times);
        store_.append_history(work, history);
        store_.clear_table_lock(work);
        commit_part(tx);
        spdlog::debug("committed {} migration(s) of batch {} in one transaction", part.size(), batch);
      } else if (settings_.dry_run) {
        reporter_.migration_skipped(direction, part.front().name,
                                    "it runs without a transaction, so a dry run cannot rehearse it");
        continue;
      } else {
        if (tx) {  // only the creation of the bookkeeping tables is pending in it
          commit(*tx);
          tx.reset();
        }
        {
          pqxx::nontransaction ntx(cx_);
          apply_limits(ntx, false);
          current = &part.front();
          current_started = std::chrono::system_clock::now();
          run_step(direction, part.front(), ntx);
          track(part.front(), current_started);
          current = nullptr;
          ntx.exec("RESET statement_timeout; RESET lock_timeout");
        }
        pqxx::work record(cx_);
        finish_part(direction, batch, record, part, times);
        store_.append_history(record, history);
        record.commit();  // no interrupt check: the migration itself already took effect
        spdlog::debug("ran {} without a transaction and recorded it", part.front().name);
      }
      for (const auto& step : part) committed.push_back(step.name);
    } catch (const Interrupted&) {
      tx.reset();
      end_dry_run();
      if (!committed.empty()) reporter_.batch_partly_done(direction, batch, committed, not_committed());
      throw;
    } catch (const Error&) {
      throw;
    } catch (const std::exception& e) {
      // The statement failed because a signal cancelled it: stop the cancelling before the
      // clean-up below talks to the server.
      std::optional<Interrupted> interrupted;
      if (const int signal_number = interrupt_signal()) interrupted.emplace(signal_number);
      tx.reset();
      end_dry_run();
      if (interrupted) {
        if (!committed.empty()) reporter_.batch_partly_done(direction, batch, committed, not_committed());
        throw *interrupted;
      }
      if (current == nullptr) throw;  // bookkeeping failed, not a migration
      const auto* sql_error = dynamic_cast<const pqxx::sql_error*>(&e);
      const std::string message = failure_message(e);
      reporter_.migration_failed(direction, current->name, message,
                                 sql_error != nullptr ? sql_error->sqlstate() : std::string());
      record_failure(action, *current, batch, current_started, message);
      if (!committed.empty()) reporter_.batch_partly_done(direction, batch, committed, not_committed());
      return ExitCode::migration_failed;
    }
  }
  reporter_.batch_committed(direction, batch, committed.size() == all_names.size() ? all_names : committed);
  return ExitCode::ok;
}

ExitCode Migrator::run(const std::optional<std::string>& to) {
  prepare_session();
  pg::AdvisoryLock lock(cx_, store_, settings_.lock_timeout);
  auto tx = std::make_unique<pqxx::work>(cx_);
  // Read after taking the lock: a runner that waited for another sees its work as done.
  const RunPlan plan = plan_run(known_, read_checked(*tx, true), to);
  if (plan.stems.empty()) {
    commit_part(tx);  // keeps freshly created bookkeeping tables, as knex does
    end_dry_run();
    reporter_.nothing_to_do(Direction::up);
    return ExitCode::ok;
  }
  std::vector<Step> steps;
  for (const auto& stem : plan.stems) steps.push_back({registry_.find(stem), display_name(stem), 0});
  const ExitCode code = execute("run", Direction::up, plan.batch, steps, std::move(tx));
  end_dry_run();
  return code;
}

ExitCode Migrator::up() {
  prepare_session();
  pg::AdvisoryLock lock(cx_, store_, settings_.lock_timeout);
  auto tx = std::make_unique<pqxx::work>(cx_);
  const RunPlan plan = plan_up(known_, read_checked(*tx, true));
  if (plan.stems.empty()) {
    commit_part(tx);
    end_dry_run();
    reporter_.nothing_to_do(Direction::up);
    return ExitCode::ok;
  }
  const ExitCode code =
      execute("up", Direction::up, plan.batch,
              {{registry_.find(plan.stems.front()), display_name(plan.stems.front()), 0}}, std::move(tx));
  end_dry_run();
  return code;
}

ExitCode Migrator::revert_plan(const std::string& action, const RollbackPlan& plan,
                               std::unique_ptr<pqxx::work> tx) {
  std::vector<Step> steps;
  for (const auto& row : plan.migrations) steps.push_back({registry_.find(row.stem), row.name, row.id});
  if (!confirm_data_loss(transaction(tx), steps)) {
    throw Error(ExitCode::migration_failed, "Rollback cancelled: nothing was changed");
  }
  return execute(action, Direction::down, plan.batch, steps, std::move(tx));
}

ExitCode Migrator::revert_latest(
    const std::string& action,
    const std::function<RollbackPlan(const std::vector<AppliedMigration>&)>& planner,
    bool& nothing_left, int& batch) {
  throw_if_interrupted();
  std::unique_ptr<pqxx::work> tx;
  const RollbackPlan plan = planner(read_checked(transaction(tx), true));
  nothing_left = plan.migrations.empty();
  batch = plan.batch;
  if (nothing_left) {
    commit_part(tx);
    return ExitCode::ok;
  }
  return revert_plan(action, plan, std::move(tx));
}

ExitCode Migrator::revert_command(
    const std::string& action,
    const std::function<RollbackPlan(const std::vector<AppliedMigration>&)>& planner) {
  prepare_session();
  pg::AdvisoryLock lock(cx_, store_, settings_.lock_timeout);
  bool nothing = false;
  int batch = 0;
  const ExitCode code = revert_latest(action, planner, nothing, batch);
  end_dry_run();
  if (nothing) reporter_.nothing_to_do(Direction::down);
  return code;
}

ExitCode Migrator::rollback() { return revert_command("rollback", plan_rollback); }

ExitCode Migrator::down() { return revert_command("down", plan_down); }

ExitCode Migrator::rollback_to(const std::string& name) {
  return revert_command("rollback", [&](const auto& applied) { return plan_rollback_to(applied, name); });
}

ExitCode Migrator::rollback_steps(int steps) {
  return revert_command("rollback", [&](const auto& applied) { return plan_rollback_steps(applied, steps); });
}

ExitCode Migrator::rollback_all() {
  // One lock for the whole command, one transaction per batch: each batch is atomic, and no
  // other runner can slip a batch in between.
  prepare_session();
  pg::AdvisoryLock lock(cx_, store_, settings_.lock_timeout);
  {
    // The data at stake in the whole rollback is shown, and confirmed, once.
    std::unique_ptr<pqxx::work> tx;
    std::vector<Step> steps;
    for (const auto& plan : plan_rollback_all(read_checked(transaction(tx), true))) {
      for (const auto& row : plan.migrations) steps.push_back({registry_.find(row.stem), row.name, row.id});
    }
    const bool confirmed = confirm_data_loss(transaction(tx), steps);
    if (!confirmed) throw Error(ExitCode::migration_failed, "Rollback cancelled: nothing was changed");
    commit_part(tx);
  }
  data_loss_checked_ = true;
  std::vector<int> done;
  ExitCode result = ExitCode::ok;
  for (;;) {
    bool nothing = false;
    int batch = 0;
    const ExitCode code = revert_latest("rollback", plan_rollback, nothing, batch);
    if (code != ExitCode::ok) {
      reporter_.rollback_all_stopped(done, batch);
      result = code;
      break;
    }
    if (nothing) break;
    done.push_back(batch);
  }
  data_loss_checked_ = false;
  end_dry_run();
  if (result != ExitCode::ok) return result;
  if (done.empty()) {
    reporter_.nothing_to_do(Direction::down);
  } else {
    reporter_.all_rolled_back();
  }
  return ExitCode::ok;
}

StatusReport Migrator::status() {
  // The common case in one statement and no transaction: the rows, and a check that the
  // table has exactly knex's columns. Anything unusual takes the full, explaining path.
  std::optional<std::vector<AppliedMigration>> fast;
  try {
    pqxx::nontransaction ntx(cx_);
    fast = store_.read_applied_if_plain(ntx);
  } catch (const pqxx::sql_error&) {
    // No such schema or table, or other columns: the full path says what is wrong.
  }
  if (fast && recorded_but_unknown(known_, *fast).empty()) {
    StatusReport report;
    report.executed = group_by_batch(*fast);
    for (const auto& stem : pending(known_, *fast)) report.pending.push_back(display_name(stem));
    return report;
  }
  pqxx::read_transaction tx(cx_);
  const auto applied = read_checked(tx, false);
  StatusReport report;
  report.executed = group_by_batch(applied);
  for (const auto& stem : pending(known_, applied)) report.pending.push_back(display_name(stem));
  return report;
}

std::vector<pg::HistoryEntry> Migrator::history(int limit) {
  pqxx::read_transaction tx(cx_);
  const auto state = store_.inspect(tx);
  store_.validate(state);
  return store_.read_history(tx, limit);
}

ExitCode Migrator::verify(const VerifyRequest& request) {
  // Everything happens in one transaction that is always rolled back, under the lock so no
  // runner changes the schema meanwhile.
  prepare_session();
  pg::AdvisoryLock lock(cx_, store_, settings_.lock_timeout);
  pqxx::work tx(cx_);
  apply_limits(tx, true);
  auto applied = read_checked(tx, true);

  if (request.all) {
    // From the base: revert what is applied, newest first.
    for (const auto& plan : plan_rollback_all(applied)) {
      for (const auto& row : plan.migrations) {
        run_step(Direction::down, {registry_.find(row.stem), row.name, row.id}, tx);
      }
    }
    applied.clear();
  }
  std::vector<std::string> targets = pending(known_, applied);
  if (request.name) {
    const std::string stem = migration_stem(*request.name);
    if (registry_.find(stem) == nullptr) {
      throw Error(ExitCode::usage, "Unknown migration '" + *request.name + "'");
    }
    const auto it = std::find(targets.begin(), targets.end(), stem);
    if (it == targets.end()) {
      throw Error(ExitCode::usage, "Migration '" + *request.name +
                                       "' is applied; roll it back first, or use --all");
    }
    // The pending migrations before it are applied first, unchecked, so it meets the schema
    // it was written for.
    for (auto before = targets.begin(); before != it; ++before) {
      run_step(Direction::up, {registry_.find(*before), display_name(*before), 0}, tx);
    }
    targets = {stem};
  }
  if (targets.empty()) {
    reporter_.nothing_to_do(Direction::up);
    return ExitCode::ok;
  }

  bool mismatch = false;
  for (const auto& stem : targets) {
    const Step step{registry_.find(stem), display_name(stem), 0};
    if (!step.migration->transactional) {
      reporter_.migration_skipped(Direction::up, step.name,
                                  "it runs without a transaction, so it cannot be verified in one");
      continue;
    }
    const Step* current = &step;
    Direction direction = Direction::up;
    try {
      const auto before = pg::catalog_snapshot(tx, store_);
      run_step(Direction::up, step, tx);
      direction = Direction::down;
      run_step(Direction::down, step, tx);
      const auto after_down = pg::catalog_snapshot(tx, store_);
      std::vector<std::string> left_behind;
      std::vector<std::string> missing;
      std::set_difference(after_down.begin(), after_down.end(), before.begin(), before.end(),
                          std::back_inserter(left_behind));
      std::set_difference(before.begin(), before.end(), after_down.begin(), after_down.end(),
                          std::back_inserter(missing));
      reporter_.verified(step.name, left_behind, missing);
      if (!left_behind.empty() || !missing.empty()) {
        // The schema is not what the next migrations expect: checking them would mislead.
        mismatch = true;
        break;
      }
      direction = Direction::up;
      run_step(Direction::up, step, tx);  // up must work again after down
    } catch (const IrreversibleMigration& e) {
      // Declared so by its author: nothing to compare. Its up stays applied for the next ones.
      reporter_.migration_skipped(Direction::down, step.name, std::string("irreversible: ") + e.what());
      continue;
    } catch (const std::exception& e) {
      const auto* sql_error = dynamic_cast<const pqxx::sql_error*>(&e);
      reporter_.migration_failed(direction, current->name, failure_message(e),
                                 sql_error != nullptr ? sql_error->sqlstate() : std::string());
      return ExitCode::migration_failed;
    }
  }
  return mismatch ? ExitCode::migration_failed : ExitCode::ok;  // `tx` rolls back here
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
  const auto now = std::chrono::system_clock::now();
  store_.ensure_tables(tx, state);
  store_.append_history(tx, {{"forget", rows.front().name, rows.front().batch, now, now, true, "", "", 0, "", "", ""}});
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
  const auto now = std::chrono::system_clock::now();
  store_.record(tx, {display_name(stem)}, batch, {now});
  store_.append_history(tx, {{"mark", display_name(stem), batch, now, now, true, "", "", 0, "", "", ""}});
  commit(tx);
  return {display_name(stem), batch};
}

}  // namespace sonamu
