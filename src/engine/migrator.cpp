#include "engine/migrator.hpp"
#include "engine/edited_downs.hpp"
#include "engine/silent_reporter.hpp"
#include "engine/transaction_ended.hpp"

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/migration_name.hpp"
#include "core/record_check.hpp"
#include "core/text.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>

namespace sonamu {

namespace {

using steady = std::chrono::steady_clock;

std::chrono::milliseconds since(steady::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - start);
}

/// The SQLSTATE of a failure, empty when it did not come from the server.
std::string sqlstate_of(const std::exception& e) {
  const auto* database_error = dynamic_cast<const DatabaseError*>(&e);
  return database_error != nullptr ? database_error->sqlstate() : std::string();
}

/// Gives up the migration lock kept in `held` when the command ends, however it ends.
struct ReleaseAtEnd {
  std::unique_ptr<MigrationLock>& held;
  bool& released;
  ~ReleaseAtEnd() {
    held.reset();
    released = false;
  }
};

/// The failure took the connection with it (lost, or the backend was terminated): nothing
/// more should be created on the server on its account.
bool connection_gone(const std::exception& e) {
  const auto* database_error = dynamic_cast<const DatabaseError*>(&e);
  return database_error != nullptr &&
         (database_error->connection_lost() || database_error->sqlstate().rfind("57P", 0) == 0 ||
          database_error->sqlstate().rfind("08", 0) == 0);
}

/// Commits, unless a signal arrived: then the transaction is rolled back instead.
void commit(Transaction& tx) {
  throw_if_interrupted();
  tx.commit();
}

}  // namespace

Migrator::Migrator(Session& session, BookkeepingStore& store, const Registry& registry,
                   Reporter& reporter, MigratorSettings settings)
    : session_(session),
      store_(store),
      registry_(registry),
      reporter_(reporter),
      settings_(std::move(settings)),
      delays_(settings_.retry) {
  known_.reserve(registry_.migrations().size());
  for (const auto& migration : registry_.migrations()) known_.push_back(migration.stem);
}

std::string Migrator::display_name(const std::string& stem) const {
  return stem + settings_.extension;
}

void Migrator::check_order(const std::vector<std::string>& stems, const std::vector<AppliedMigration>& applied) {
  const auto late = late_pending(stems, applied);
  if (late.stems.empty()) return;
  if (settings_.out_of_order == OutOfOrderPolicy::refuse) {
    throw Error(ExitCode::mismatch, late_refusal(late, settings_.extension));
  }
  std::vector<std::string> names;
  for (const auto& stem : late.stems) names.push_back(display_name(stem));
  reporter_.late_migrations(names, late.newest_applied);
}

const Rehearsal& Migrator::rehearsal(MigrationFn fn) {
  auto found = rehearsals_.find(fn);
  if (found == rehearsals_.end()) found = rehearsals_.emplace(fn, rehearse(fn)).first;
  return found->second;
}

std::vector<AppliedMigration> Migrator::only_known(std::vector<AppliedMigration> applied) const {
  if (const auto problems = record_problems(applied); !problems.empty()) {
    throw Error(ExitCode::mismatch, problems);
  }
  const auto unknown = recorded_but_unknown(known_, applied);
  if (!unknown.empty()) {
    throw Error(ExitCode::mismatch,
                "The migration directory is corrupt, the following files are missing: " + join(unknown));
  }
  return applied;
}

std::vector<AppliedMigration> Migrator::read_checked(Transaction& tx, bool create) {
  const auto state = store_.inspect(tx);
  store_.validate(state);
  if (create) {
    store_.ensure_tables(tx, state);
  } else if (!state.migrations_table_exists) {
    return {};
  }
  return only_known(store_.read_applied(tx));
}

std::vector<AppliedMigration> Migrator::read_for_batch(Transaction& tx) {
  // The tables are looked at, and created, under the limits too; knex's lock row then has a
  // wait of its own (--lock-timeout), after which the limits are set again.
  tx.limit(settings_.limits);
  const auto state = store_.inspect(tx);
  store_.validate(state);
  store_.ensure_tables(tx, state);
  // knex's lock row first, the records after it: a knex batch in progress holds the row, so
  // the records are read once that batch has committed, and the plan sees its migrations.
  hold_table_lock(tx);
  // The records are read under the limits the migrations run under: a session holding the
  // table must not keep the tool waiting past them.
  tx.limit(settings_.limits);
  // A table created just now, in this transaction, is empty and seen by no one else: reading
  // it is a round trip that can only return nothing.
  last_read_ = state.migrations_table_exists ? only_known(store_.read_applied(tx)) : std::vector<AppliedMigration>{};
  return last_read_;
}

void Migrator::check_records_unchanged(Transaction& tx) {
  // The batch was planned on the records read in its first attempt; another tool (knex) may
  // have applied or reverted migrations during the pause, and the plan would then be wrong.
  const auto planned_on = last_read_;
  const auto now = read_for_batch(tx);
  const auto same = [](const AppliedMigration& a, const AppliedMigration& b) {
    return a.id == b.id && a.name == b.name && a.batch == b.batch;
  };
  if (!std::equal(planned_on.begin(), planned_on.end(), now.begin(), now.end(), same)) {
    throw Error(ExitCode::migration_failed,
                "The migration records changed while the batch waited to be tried again (another "
                "tool applied or reverted migrations): nothing of this batch was applied; run the "
                "command again");
  }
}

bool Migrator::may_retry(const std::string& sqlstate, int attempt) const {
  // A dry run is one transaction from its first read: it is not repeated, only reported.
  return lock_conflict(sqlstate) && !settings_.dry_run && attempt < settings_.retry.attempts &&
         interrupt_signal() == 0;
}

void Migrator::wait_before_retry(Direction direction, const std::string& name, int attempt,
                                 const std::exception& e, const std::string& sqlstate, bool measuring) {
  const auto delay = delays_.after(attempt);
  reporter_.lock_retry(direction, name, {attempt, settings_.retry.attempts, delay, sqlstate, e.what(), measuring});
  spdlog::debug("attempt {} of {} failed ({}): trying again in {} ms", attempt, settings_.retry.attempts,
                sqlstate, delay.count());
  // No transaction is open during the pause: the tables the batch locked are free again.
  if (settings_.pause) {
    settings_.pause(delay);
  } else {
    pause_interruptibly(delay);
  }
}

bool Migrator::run_step(Direction direction, const Step& step, Transaction& tx) {
  return run_step(direction, step, tx, reporter_);
}

bool Migrator::run_step(Direction direction, const Step& step, Transaction& tx, Reporter& reporter) {
  throw_if_interrupted();
  reporter_.migration_started(direction, step.name);
  const auto start = steady::now();
  bool down_skipped = false;
  if (direction == Direction::up) {
    tx.run(step.migration->up, reporter);
  } else {
    try {
      tx.run(step.migration->down, reporter);
    } catch (const IrreversibleMigration& e) {
      // Reached only with --force (the rehearsal refuses otherwise): the record goes, the
      // schema stays as it is, and the user is told that nothing was undone.
      if (!settings_.force) throw;
      reporter_.migration_skipped(Direction::down, step.name,
                                  std::string("its down was not run (irreversible: ") + e.what() +
                                      "); --force deletes its record only");
      down_skipped = true;
    }
  }
  reporter_.migration_finished(direction, step.name, since(start));
  return down_skipped;
}

void Migrator::finish_part(Direction direction, int batch, Transaction& tx, const std::vector<Step>& done,
                           const std::vector<std::chrono::system_clock::time_point>& times) {
  if (direction == Direction::up) {
    std::vector<std::string> names;
    names.reserve(done.size());
    std::vector<std::pair<std::string, std::string>> hashes;
    for (const auto& step : done) {
      names.push_back(step.name);
      if (!step.migration->source_hash.empty()) hashes.emplace_back(step.name, step.migration->source_hash);
    }
    store_.record(tx, names, batch, times);
    // What was applied, so that `status` can tell an applied migration edited since.
    store_.record_source_hashes(tx, hashes);
  } else {
    // The records go in the same transaction as the down functions: a crash at any point
    // leaves both, or neither.
    std::vector<std::int64_t> ids;
    ids.reserve(done.size());
    std::vector<std::string> names;
    for (const auto& step : done) {
      ids.push_back(step.id);
      names.push_back(step.name);
    }
    store_.erase(tx, ids);
    store_.erase_source_hashes(tx, names);
  }
}

Transaction& Migrator::transaction(std::unique_ptr<Transaction>& tx) {
  if (settings_.dry_run) {
    // A dry run is one transaction from the first read to the end of the command.
    if (!dry_tx_) dry_tx_ = std::move(tx);
    if (!dry_tx_) dry_tx_ = begin_locked();
    return *dry_tx_;
  }
  if (!tx) tx = begin_locked();
  return *tx;
}

std::unique_ptr<Transaction> Migrator::begin_limited(TransactionKind kind) {
  auto tx = session_.begin(kind);
  // Every statement of the command, reads included, gives up where the migrations would: a
  // session holding a bookkeeping table never keeps the tool waiting past the limits.
  tx->limit(settings_.limits);
  return tx;
}

std::unique_ptr<Transaction> Migrator::begin_locked() {
  auto tx = session_.begin(TransactionKind::read_write);
  store_.lock_transaction(*tx, settings_.lock_timeout);
  return tx;
}

void Migrator::hold_table_lock(Transaction& tx) {
  if (table_lock_holder_ == &tx) return;
  store_.set_table_lock(tx, settings_.lock_timeout);
  table_lock_holder_ = &tx;
}

void Migrator::commit_part(std::unique_ptr<Transaction>& tx) {
  if (settings_.dry_run) return;  // rolled back by end_dry_run
  if (table_lock_holder_ == tx.get()) {
    // knex sees the row locked exactly while a batch runs: unlocked again in the same commit.
    store_.clear_table_lock(*tx);
    table_lock_holder_ = nullptr;
  }
  commit(*tx);
  tx.reset();
}

void Migrator::discard(std::unique_ptr<Transaction>& tx) {
  if (table_lock_holder_ == tx.get()) table_lock_holder_ = nullptr;
  tx.reset();
}

void Migrator::end_dry_run() {
  // The meter reads through the dry run's transaction: it goes first.
  dry_measuring_.reset();
  dry_meter_.reset();
  discard(dry_tx_);
}

MeasuringReporter& Migrator::dry_measuring(Transaction& work) {
  if (!dry_measuring_) {
    // Made once the records are read and knex's lock row is held, in the same transaction as
    // the migrations: the dry run itself is measured, it is not rehearsed a second time.
    dry_meter_ = session_.meter(work);
    if (!dry_lint_) dry_lint_.emplace();
    dry_lint_->existing = dry_meter_->existing();
    dry_measuring_ = std::make_unique<MeasuringReporter>(reporter_, *dry_meter_, dry_lint_->migrations,
                                                         settings_.measure_filter);
  }
  return *dry_measuring_;
}

void Migrator::record_failure(const HistoryEntry& entry, bool may_create_tables) {
  if (settings_.dry_run) return;
  try {
    auto tx = begin_limited(TransactionKind::read_write);
    const auto state = store_.inspect(*tx);
    // A failed first run rolled the tables back with its batch: they are created again (as
    // knex creates them before any migration runs) so that the failure is in the history.
    // Not after a lost connection: a server that went away gets nothing new.
    if (!state.migrations_table_exists && !may_create_tables) return;
    store_.ensure_tables(*tx, state);
    store_.append_history(*tx, {entry});
    tx->commit();
  } catch (const std::exception& e) {
    spdlog::warn("could not record the failure in the history table: {}", e.what());
  }
}

std::vector<Migrator::Step> Migrator::steps_of(const RollbackPlan& plan) const {
  std::vector<Step> steps;
  steps.reserve(plan.migrations.size());
  for (const auto& row : plan.migrations) steps.push_back({registry_.find(row.stem), row.name, row.id});
  return steps;
}

std::set<std::string> Migrator::invalid_indexes() {
  auto tx = session_.begin(TransactionKind::read_only);
  return session_.invalid_indexes(*tx);
}

bool Migrator::transactional(const Step& step) const {
  return step.migration->transactional && !settings_.disable_transactions;
}

std::optional<ExitCode> Migrator::refuse_before_running(Direction direction, const std::vector<Step>& steps) {
  // Every migration of the batch is rehearsed first: a builder misuse, or a down that
  // declares itself irreversible, stops the batch before any of its SQL is sent.
  for (const auto& step : steps) {
    const MigrationFn fn = direction == Direction::up ? step.migration->up : step.migration->down;
    const Rehearsal& rehearsed = rehearsal(fn);
    if (rehearsed.definition_problem) {
      reporter_.migration_failed(direction, step.name,
                                 "Invalid migration definition: " + *rehearsed.definition_problem, "");
      return ExitCode::migration_failed;
    }
    if (direction == Direction::down && !settings_.force && rehearsed.irreversible_reason) {
      reporter_.migration_failed(direction, step.name,
                                 "irreversible: " + *rehearsed.irreversible_reason +
                                     " (--force deletes its record without running down)",
                                 "");
      return ExitCode::migration_failed;
    }
  }
  return std::nullopt;
}

ExitCode Migrator::execute(const std::string& action, Direction direction, int batch,
                           const std::vector<Step>& steps, std::unique_ptr<Transaction> tx) {
  if (const auto refused = refuse_before_running(direction, steps)) return *refused;
  refuse_outside_transactions_if_pooled(steps);

  // A batch is one transaction, unless it holds migrations that cannot run in one: then it
  // runs in parts, each transactional run atomic, each non-transactional migration alone and
  // recorded right after it succeeds.
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
  reporter_.batch_started(direction, batch, all_names);
  const auto not_committed = [&] {
    std::vector<std::string> rest;
    for (const auto& name : all_names) {
      if (std::find(committed.begin(), committed.end(), name) == committed.end()) rest.push_back(name);
    }
    return rest;
  };
  const auto report_partial = [&] {
    if (!committed.empty()) reporter_.batch_partly_done(direction, batch, committed, not_committed());
  };

  for (const auto& part : parts) {
    const Step* current = nullptr;
    auto current_started = std::chrono::system_clock::now();
    try {
      std::vector<std::chrono::system_clock::time_point> times;
      std::vector<HistoryEntry> history;
      const auto run_tracked = [&](const Step& step, Transaction& work, Reporter& reporter) {
        current = &step;
        current_started = std::chrono::system_clock::now();
        const bool down_skipped = run_step(direction, step, work, reporter);
        // A forced rollback of an irreversible migration says so in the history too.
        history.push_back(HistoryEntry::until_now(down_skipped ? "forced " + action : action, step.name, batch,
                                                  current_started));
        times.push_back(history.back().finished);
        current = nullptr;
      };
      if (transactional(part.front())) {
        // The part was planned in this transaction when it is already open: a new attempt
        // reads the records again and checks that the plan still holds.
        const bool planned_here = static_cast<bool>(tx);
        // Each attempt is the whole transaction, from BEGIN to COMMIT: everything taken in it
        // (knex's lock row, the tables' locks) is taken again.
        for (int attempt = 1;; ++attempt) {
          try {
            Transaction& work = transaction(tx);
            if (attempt > 1 && planned_here) check_records_unchanged(work);
            // After knex's lock row, whose wait sets a lock_timeout of its own and then resets it.
            hold_table_lock(work);
            work.limit(settings_.limits);
            times.clear();
            history.clear();
            for (const auto& step : part) {
              if (settings_.dry_run && settings_.measure_dry_run) {
                MeasuringReporter& measuring = dry_measuring(work);
                dry_lint_->rollback = direction == Direction::down;
                measuring.begin(step.name);
                run_tracked(step, work, measuring);
              } else {
                run_tracked(step, work, reporter_);
              }
            }
            finish_part(direction, batch, work, part, times);
            store_.append_history(work, history);
            commit_part(tx);
            break;
          } catch (const DatabaseError& e) {
            if (current == nullptr || !may_retry(e.sqlstate(), attempt)) throw;
            const std::string name = current->name;
            current = nullptr;
            discard(tx);
            wait_before_retry(direction, name, attempt, e, e.sqlstate());
          }
        }
        if (!settings_.dry_run) {
          spdlog::debug("committed {} migration(s) of batch {} in one transaction", part.size(), batch);
        }
      } else if (settings_.dry_run) {
        reporter_.migration_skipped(direction, part.front().name,
                                    "it runs without a transaction, so a dry run cannot rehearse it");
        if (settings_.measure_dry_run) {
          if (!dry_lint_) dry_lint_.emplace();
          dry_lint_->migrations.emplace_back();
          dry_lint_->migrations.back().name = part.front().name;
          dry_lint_->migrations.back().skipped = "it runs without a transaction, so it cannot be rehearsed in one";
        }
        continue;
      } else {
        if (tx) commit_part(tx);  // only the reading of the records is pending in it
        for (int attempt = 1;; ++attempt) {
          const auto invalid_before = invalid_indexes();
          CountingReporter counting(reporter_);
          try {
            auto alone = session_.begin(TransactionKind::autocommit);
            alone->limit(settings_.limits);
            run_tracked(part.front(), *alone, counting);
            break;
          } catch (const DatabaseError& e) {
            if (!lock_conflict(e.sqlstate()) || interrupt_signal() != 0) throw;
            // Without a transaction nothing is rolled back: say what the attempt left, and
            // try again only if it cannot have changed anything.
            std::string left;
            for (const auto& index : invalid_indexes()) {
              if (invalid_before.count(index) == 0) left += (left.empty() ? "" : ", ") + index;
            }
            if (!left.empty()) {
              throw DatabaseError(std::string(e.what()) + "; it left the invalid index " + left +
                                      " (CREATE INDEX CONCURRENTLY stopped half-way) and was not tried "
                                      "again: drop it with DROP INDEX CONCURRENTLY " + left +
                                      ", then run the command again",
                                  e.sqlstate());
            }
            if (counting.statements() > 1) {
              throw DatabaseError(std::string(e.what()) + "; not tried again: it runs without a transaction and " +
                                      std::to_string(counting.statements() - 1) +
                                      " of its statements had taken effect before this one",
                                  e.sqlstate());
            }
            if (attempt >= settings_.retry.attempts) throw;
            current = nullptr;
            wait_before_retry(direction, part.front().name, attempt, e, e.sqlstate());
            times.clear();
            history.clear();
          }
        }
        auto record = begin_limited(TransactionKind::read_write);
        finish_part(direction, batch, *record, part, times);
        store_.append_history(*record, history);
        record->commit();  // no interrupt check: the migration itself already took effect
        spdlog::debug("ran {} without a transaction and recorded it", part.front().name);
      }
      for (const auto& step : part) committed.push_back(step.name);
    } catch (const Interrupted&) {
      discard(tx);
      end_dry_run();
      report_partial();
      throw;
    } catch (const Error&) {
      throw;
    } catch (const std::exception& e) {
      // The measured report of a dry run ends with the failure too.
      if (dry_measuring_ && current != nullptr) dry_measuring_->fail(e.what());
      // The statement failed because a signal cancelled it: stop the cancelling before the
      // clean-up below talks to the server.
      std::optional<Interrupted> interrupted;
      if (const int signal_number = interrupt_signal()) interrupted.emplace(signal_number);
      discard(tx);
      end_dry_run();
      if (interrupted) {
        report_partial();
        throw *interrupted;
      }
      if (current == nullptr) throw;  // bookkeeping failed, not a migration
      const std::string sqlstate = sqlstate_of(e);
      const std::string reason = e.what() + reset_lock_row_if_ended(e, session_, store_, settings_.limits);
      reporter_.migration_failed(direction, current->name, reason, sqlstate);
      record_failure(HistoryEntry::until_now(action, current->name, batch, current_started, reason),
                     !connection_gone(e));
      report_partial();
      // Kept from running by other sessions' locks, attempt after attempt: exit 5, as when
      // another runner holds the migration lock.
      return lock_conflict(sqlstate) ? ExitCode::locked : ExitCode::migration_failed;
    }
  }
  reporter_.batch_committed(direction, batch, committed.size() == all_names.size() ? all_names : committed);
  return ExitCode::ok;
}

ExitCode Migrator::run(const std::optional<std::string>& to) {
  session_.prepare();
  const auto lock = session_.lock(settings_.lock_timeout);
  std::unique_ptr<Transaction> tx;
  // Read after taking the lock: a runner that waited for another sees its work as done.
  const RunPlan plan = plan_run(known_, read_for_batch(transaction(tx)), to);
  check_order(plan.stems, last_read_);
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
  session_.prepare();
  const auto lock = session_.lock(settings_.lock_timeout);
  std::unique_ptr<Transaction> tx;
  const RunPlan plan = plan_up(known_, read_for_batch(transaction(tx)));
  check_order(plan.stems, last_read_);
  if (plan.stems.empty()) {
    commit_part(tx);
    end_dry_run();
    reporter_.nothing_to_do(Direction::up);
    return ExitCode::ok;
  }
  const auto& stem = plan.stems.front();
  const ExitCode code =
      execute("up", Direction::up, plan.batch, {{registry_.find(stem), display_name(stem), 0}}, std::move(tx));
  end_dry_run();
  return code;
}

ExitCode Migrator::revert_latest(const std::string& action, const Planner& planner, bool& nothing_left,
                                 int& batch) {
  throw_if_interrupted();
  std::unique_ptr<Transaction> tx;
  RollbackPlan plan = planner(read_for_batch(transaction(tx)));
  nothing_left = plan.migrations.empty();
  batch = plan.batch;
  if (nothing_left) {
    commit_part(tx);
    return ExitCode::ok;
  }
  if (!data_loss_checked_) {
    const auto steps = steps_of(plan);
    check_edited_downs(edited_steps(store_, transaction(tx), steps), settings_.production && !settings_.dry_run);
    if (const auto refused = refuse_before_running(Direction::down, steps)) {
      discard(tx);
      end_dry_run();
      return *refused;
    }
    // No transaction stays open while the data at risk is measured, shown and confirmed.
    discard(tx);
    end_dry_run();
    check_data_loss(steps);
    // The advisory lock kept other runners of this tool out; a knex process may have moved.
    plan = planner(read_for_batch(transaction(tx)));
    check_unchanged(steps, steps_of(plan));
    lock_released_ = false;
    nothing_left = plan.migrations.empty();
    batch = plan.batch;
    if (nothing_left) {
      commit_part(tx);
      return ExitCode::ok;
    }
  }
  return execute(action, Direction::down, plan.batch, steps_of(plan), std::move(tx));
}

ExitCode Migrator::revert_command(const std::string& action, const Planner& planner) {
  session_.prepare();
  lock_ = session_.lock(settings_.lock_timeout);
  const ReleaseAtEnd release{lock_, lock_released_};
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
  if (registry_.find(migration_stem(name)) == nullptr) {
    throw Error(ExitCode::usage, "Unknown migration '" + name + "' given to --to: it is not compiled into this binary");
  }
  session_.prepare();
  lock_ = session_.lock(settings_.lock_timeout);
  const ReleaseAtEnd release{lock_, lock_released_};
  bool nothing = false;
  int batch = 0;
  const ExitCode code = revert_latest(
      "rollback", [&](const auto& applied) { return guarded(plan_rollback_to(applied, name)); }, nothing, batch);
  end_dry_run();
  if (nothing) reporter_.nothing_after(display_name(migration_stem(name)));
  return code;
}

ExitCode Migrator::rollback_steps(int steps) {
  return revert_command("rollback",
                        [&](const auto& applied) { return guarded(plan_rollback_steps(applied, steps)); });
}

ExitCode Migrator::rollback_all() {
  // One lock for the whole command, one transaction per batch: each batch is atomic, and no
  // other runner can slip a batch in between.
  session_.prepare();
  lock_ = session_.lock(settings_.lock_timeout);
  const ReleaseAtEnd release{lock_, lock_released_};
  {
    // The data at stake in the whole rollback is measured, shown and confirmed once.
    std::unique_ptr<Transaction> tx;
    std::vector<Step> steps;
    for (const auto& plan : plan_rollback_all(read_for_batch(transaction(tx)))) {
      for (auto& step : steps_of(plan)) steps.push_back(std::move(step));
    }
    check_edited_downs(edited_steps(store_, transaction(tx), steps), settings_.production && !settings_.dry_run);
    if (steps.empty()) {
      commit_part(tx);
    } else {
      discard(tx);
      end_dry_run();
      check_data_loss(steps);
      if (lock_released_) {
        std::vector<Step> now;
        for (const auto& plan : plan_rollback_all(read_for_batch(transaction(tx)))) {
          for (auto& step : steps_of(plan)) now.push_back(std::move(step));
        }
        discard(tx);
        check_unchanged(steps, now);
        lock_released_ = false;
      }
    }
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
  // The common case in one statement: the rows, and a check that the table has exactly
  // knex's columns. Anything unusual takes the full, explaining path. Read-only transactions,
  // not autocommit: the limits are set with SET LOCAL, so behind a transaction pooler they
  // never stay with a pooled server connection.
  std::optional<std::vector<AppliedMigration>> applied;
  {
    auto tx = begin_limited(TransactionKind::read_only);
    applied = store_.read_applied_if_plain(*tx);
  }
  if (!applied || !recorded_but_unknown(known_, *applied).empty() || !record_problems(*applied).empty()) {
    auto tx = begin_limited(TransactionKind::read_only);
    applied = read_checked(*tx, false);
  }
  StatusReport report;
  if (!applied->empty()) {
    // Flyway's validate: an applied migration whose source differs from what was applied.
    auto tx = begin_limited(TransactionKind::read_only);
    const auto recorded = store_.read_source_hashes(*tx);
    for (const auto& row : *applied) {
      const Migration* migration = registry_.find(row.stem);
      const auto hash = recorded.find(row.name);
      if (migration != nullptr && !migration->source_hash.empty() && hash != recorded.end() &&
          hash->second != migration->source_hash) {
        report.edited.push_back(row.name);
      }
    }
  }
  report.executed = group_by_batch(*applied);
  const auto waiting = pending(known_, *applied);
  for (const auto& stem : waiting) report.pending.push_back(display_name(stem));
  const auto late = late_pending(waiting, *applied);
  for (const auto& stem : late.stems) report.late.push_back(display_name(stem));
  report.newest_applied = late.newest_applied;
  return report;
}

std::vector<HistoryRecord> Migrator::history(int limit) {
  auto tx = begin_limited(TransactionKind::read_only);
  store_.validate(store_.inspect(*tx));
  return store_.read_history(*tx, limit);
}

ExitCode Migrator::verify(const VerifyRequest& request) {
  refuse_verify_in_production(request);
  bool announced = false;
  // Everything happens in one transaction that is always rolled back, under the lock so no
  // runner changes the schema meanwhile.
  session_.prepare();
  const auto lock = session_.lock(settings_.lock_timeout);
  const auto tx = begin_locked();
  tx->limit(settings_.limits);
  auto applied = read_checked(*tx, true);

  if (request.all) {
    // From the base: revert what is applied, newest first.
    std::vector<Step> reverted;
    for (const auto& plan : plan_rollback_all(applied)) {
      for (auto& step : steps_of(plan)) reverted.push_back(std::move(step));
    }
    // An irreversible migration cannot be reverted: it and everything older stay applied,
    // and it is reported as skipped, as a pending irreversible one is.
    std::size_t revertible = 0;
    std::optional<std::string> stop_reason;
    for (; revertible < reverted.size(); ++revertible) {
      const auto& reason = rehearsal(reverted[revertible].migration->down).irreversible_reason;
      if (reason) {
        stop_reason = reason;
        break;
      }
    }
    std::vector<std::string> names;
    for (std::size_t i = 0; i < revertible; ++i) names.push_back(reverted[i].name);
    if (revertible > 0) announce_verify(announced);
    reporter_.batch_started(Direction::down, 0, names);
    for (std::size_t i = 0; i < revertible; ++i) run_step(Direction::down, reverted[i], *tx);
    std::vector<AppliedMigration> kept;
    if (stop_reason) {
      const auto& blocked = reverted[revertible];
      const std::size_t older = reverted.size() - revertible - 1;
      reporter_.migration_skipped(
          Direction::down, blocked.name,
          "irreversible: " + *stop_reason +
              (older == 0 ? std::string()
                          : "; it and the " + std::to_string(older) + " older migration" + (older == 1 ? "" : "s") +
                                " stay applied and are not verified"));
      for (std::size_t i = revertible; i < reverted.size(); ++i) {
        for (const auto& row : applied) {
          if (row.id == reverted[i].id) kept.push_back(row);
        }
      }
    }
    applied = std::move(kept);
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
      announce_verify(announced);
      run_step(Direction::up, {registry_.find(*before), display_name(*before), 0}, *tx);
    }
    targets = {stem};
  }
  if (targets.empty()) {
    reporter_.nothing_to_do(Direction::up);
    return ExitCode::ok;
  }
  {
    std::vector<std::string> names;
    for (const auto& stem : targets) names.push_back(display_name(stem));
    reporter_.batch_started(Direction::up, 0, names);
  }

  for (const auto& stem : targets) {
    const Step step{registry_.find(stem), display_name(stem), 0};
    if (const auto stop = verify_one(step, *tx, announced)) return *stop;
  }
  return ExitCode::ok;  // `tx` rolls back here
}

std::optional<ExitCode> Migrator::verify_one(const Step& step, Transaction& tx, bool& announced) {
  if (!step.migration->transactional) {
    reporter_.migration_skipped(Direction::up, step.name,
                                "it runs without a transaction, so it cannot be verified in one");
    return std::nullopt;
  }
  announce_verify(announced);
  Direction direction = Direction::up;
  try {
    // The rows present now are copied first (inside the same transaction, so the copies go
    // with it), then the catalog is read: the copies are temporary and not part of it.
    const auto written = tables_verified(step, tx, direction);
    const RowSnapshot rows = session_.snapshot_rows(tx, settings_.exact_count_bytes, written);
    const Catalog before = session_.catalog(tx);
    run_step(Direction::up, step, tx);
    direction = Direction::down;
    run_step(Direction::down, step, tx);
    const auto [left_behind, missing] = catalog_changes(before, tx);
    if (!left_behind.empty() || !missing.empty()) {
      reporter_.verified(step.name, left_behind, missing);
      // The schema is not what the next migrations expect: checking them would mislead.
      return ExitCode::migration_failed;
    }
    // The schema came back; did the values? A down that converts a column back can restore
    // its type and still change what it holds ('025' becomes '25').
    const DataCheck data = session_.compare_rows(tx, rows);
    const auto& declared = rehearsal(step.migration->down).lossy_reason;
    if (!data.drifts.empty() && !declared) {
      reporter_.data_checked(step.name, data, declared);
      return ExitCode::migration_failed;
    }
    reporter_.verified(step.name, left_behind, missing);
    reporter_.data_checked(step.name, data, declared);
    direction = Direction::up;
    run_step(Direction::up, step, tx);  // up must work again after down
  } catch (const IrreversibleMigration& e) {
    // Declared so by its author: nothing to compare. Its up stays applied for the next ones.
    reporter_.migration_skipped(Direction::down, step.name, std::string("irreversible: ") + e.what());
  } catch (const Interrupted&) {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    // A statement cancelled by Ctrl-C or SIGTERM is an interruption, not a failure.
    throw_if_interrupted();
    reporter_.migration_failed(direction, step.name, e.what(), sqlstate_of(e));
    return ExitCode::migration_failed;
  }
  return std::nullopt;
}

std::optional<std::string> Migrator::unlock() {
  // Taking the migration lock without waiting proves no runner of this tool is active; a
  // knex process mid-batch holds the lock row itself, so the update waits for it at most
  // --lock-timeout-sql (5 s unless set).
  std::unique_ptr<MigrationLock> lock;
  try {
    lock = session_.lock(std::chrono::milliseconds(0));
  } catch (const Error& e) {
    throw Error(ExitCode::locked,
                std::string("Refusing to unlock while a migration runner holds the lock: ") + e.what());
  }
  const auto tx = session_.begin(TransactionKind::read_write);
  try {
    store_.lock_transaction(*tx, std::chrono::milliseconds(0));
  } catch (const Error& e) {
    throw Error(ExitCode::locked,
                std::string("Refusing to unlock while a migration runner holds the lock: ") + e.what());
  }
  // After the migration lock's wait, which sets a lock_timeout of its own.
  tx->limit(settings_.limits);
  const auto state = store_.inspect(*tx);
  store_.validate(state);
  if (!state.lock_table_exists) return std::nullopt;
  const auto was_locked = store_.reset_table_lock(*tx);
  commit(*tx);
  return was_locked;
}

RecordChange Migrator::forget(const std::string& name) {
  // No corrupt-directory check here: forgetting a record whose file is gone is the point.
  const auto lock = session_.lock(settings_.lock_timeout);
  const auto tx = begin_locked();
  tx->limit(settings_.limits);
  const auto state = store_.inspect(*tx);
  store_.validate(state);
  const std::string stem = migration_stem(name);
  std::vector<AppliedMigration> rows;
  if (state.migrations_table_exists) {
    for (auto& row : store_.read_applied(*tx)) {
      if (row.stem == stem) rows.push_back(std::move(row));
    }
  }
  if (rows.empty()) throw Error(ExitCode::usage, "Migration '" + name + "' is not recorded as applied");
  // One record at a time: of duplicate records, the newest goes and the oldest stays.
  const AppliedMigration& newest = rows.back();
  store_.erase(*tx, {newest.id});
  store_.ensure_tables(*tx, state);
  // The applied source hash goes only with the last record of the name.
  if (rows.size() == 1) store_.erase_source_hashes(*tx, {newest.name});
  store_.append_history(*tx, {HistoryEntry::instant("forget", newest.name, newest.batch)});
  commit(*tx);
  return {newest.name, newest.batch};
}

RecordChange Migrator::mark(const std::string& name) {
  const auto lock = session_.lock(settings_.lock_timeout);
  const auto tx = begin_locked();
  tx->limit(settings_.limits);
  const auto applied = read_checked(*tx, true);
  const std::string stem = migration_stem(name);
  if (registry_.find(stem) == nullptr) {
    throw Error(ExitCode::usage, "Unknown migration '" + name + "': it is not compiled into this binary");
  }
  for (const auto& row : applied) {
    if (row.stem == stem) throw Error(ExitCode::usage, "Migration '" + row.name + "' is already recorded");
  }
  const int batch = next_batch(applied);
  const auto entry = HistoryEntry::instant("mark", display_name(stem), batch);
  store_.record(*tx, {entry.name}, batch, {entry.finished});
  if (const Migration* migration = registry_.find(stem); !migration->source_hash.empty()) {
    store_.record_source_hashes(*tx, {{entry.name, migration->source_hash}});
  }
  store_.append_history(*tx, {entry});
  commit(*tx);
  return {entry.name, batch};
}

RecordChange Migrator::accept(const std::string& name) {
  const auto lock = session_.lock(settings_.lock_timeout);
  const auto tx = begin_limited(TransactionKind::read_write);
  const auto applied = read_checked(*tx, true);
  const std::string stem = migration_stem(name);
  const Migration* migration = registry_.find(stem);
  if (migration == nullptr) {
    throw Error(ExitCode::usage, "Unknown migration '" + name + "': it is not compiled into this binary");
  }
  const auto row = std::find_if(applied.begin(), applied.end(),
                                [&](const AppliedMigration& applied_row) { return applied_row.stem == stem; });
  if (row == applied.end()) throw Error(ExitCode::usage, "Migration '" + name + "' is not recorded as applied");
  if (migration->source_hash.empty()) {
    throw Error(ExitCode::usage, "Migration '" + row->name + "' was compiled without a source hash: nothing to accept");
  }
  store_.record_source_hashes(*tx, {{row->name, migration->source_hash}});
  store_.append_history(*tx, {HistoryEntry::instant("accept", row->name, row->batch)});
  commit(*tx);
  return {row->name, row->batch};
}

}  // namespace sonamu
