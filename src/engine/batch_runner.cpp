#include "engine/batch_runner.hpp"
#include "engine/lock_row_reset.hpp"

#include "core/error.hpp"
#include "core/interrupt.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace sonamu {

namespace {

/// The SQLSTATE of a failure, empty when it did not come from the server.
std::string sqlstate_of(const std::exception& e) {
  const auto* database_error = dynamic_cast<const DatabaseError*>(&e);
  return database_error != nullptr ? database_error->sqlstate() : std::string();
}

/// The failure took the connection with it (lost, or the backend was terminated): nothing
/// more should be created on the server on its account.
bool connection_gone(const std::exception& e) {
  const auto* database_error = dynamic_cast<const DatabaseError*>(&e);
  return database_error != nullptr &&
         (database_error->connection_lost() || database_error->sqlstate().rfind("57P", 0) == 0 ||
          database_error->sqlstate().rfind("08", 0) == 0);
}

}  // namespace

std::optional<ExitCode> BatchRunner::refuse_before_running(Direction direction,
                                                           const std::vector<MigrationStep>& steps) {
  // Every migration of the batch is rehearsed first: a builder misuse, or a down that
  // declares itself irreversible, stops the batch before any of its SQL is sent.
  for (const auto& step : steps) {
    const MigrationFn fn = direction == Direction::up ? step.migration->up : step.migration->down;
    const Rehearsal& rehearsed = context_.rehearsal(fn);
    if (rehearsed.definition_problem) {
      context_.reporter.migration_failed(direction, step.name,
                                         "Invalid migration definition: " + *rehearsed.definition_problem, "");
      return ExitCode::migration_failed;
    }
    if (direction == Direction::down && !context_.settings.force && rehearsed.irreversible_reason) {
      context_.reporter.migration_failed(direction, step.name,
                                         "irreversible: " + *rehearsed.irreversible_reason +
                                             " (--force deletes its record without running down)",
                                         "");
      return ExitCode::migration_failed;
    }
  }
  return std::nullopt;
}

ExitCode BatchRunner::run(const std::string& action, Direction direction, int batch,
                          const std::vector<MigrationStep>& steps, std::unique_ptr<Transaction> tx) {
  if (const auto refused = refuse_before_running(direction, steps)) return *refused;
  refuse_outside_transactions_if_pooled(steps);
  const auto parts = split_into_parts(direction, batch, steps);
  Progress progress;
  progress.action = action;
  progress.direction = direction;
  progress.batch = batch;
  for (const auto& step : steps) progress.all.push_back(step.name);
  context_.reporter.batch_started(direction, batch, progress.all);
  for (const auto& part : parts) {
    try {
      if (!run_part(progress, part, tx)) continue;
      for (const auto& step : part) progress.committed.push_back(step.name);
    } catch (const Interrupted&) {
      transactions_.discard(tx);
      transactions_.end_dry_run();
      report_partial(progress);
      throw;
    } catch (const Error&) {
      throw;
    } catch (const std::exception& e) {
      return fail(progress, e, tx);
    }
  }
  const bool all_done = progress.committed.size() == progress.all.size();
  context_.reporter.batch_committed(direction, batch, all_done ? progress.all : progress.committed);
  return ExitCode::ok;
}

std::vector<BatchRunner::Part> BatchRunner::split_into_parts(Direction direction, int batch,
                                                             const std::vector<MigrationStep>& steps) {
  // A batch is one transaction, unless it holds migrations that cannot run in one: then it
  // runs in parts, each transactional run atomic, each non-transactional migration alone and
  // recorded right after it succeeds.
  std::vector<Part> parts;
  for (const auto& step : steps) {
    if (parts.empty() || !context_.transactional(step) || !context_.transactional(parts.back().front())) {
      parts.emplace_back();
    }
    parts.back().push_back(step);
  }
  if (parts.size() > 1) {
    std::vector<std::pair<bool, std::vector<std::string>>> layout;
    for (const auto& part : parts) {
      std::vector<std::string> names;
      for (const auto& step : part) names.push_back(step.name);
      layout.emplace_back(context_.transactional(part.front()), std::move(names));
    }
    context_.reporter.batch_in_parts(direction, batch, layout);
  }
  return parts;
}

bool BatchRunner::run_part(Progress& progress, const Part& part, std::unique_ptr<Transaction>& tx) {
  progress.current = nullptr;
  progress.current_started = std::chrono::system_clock::now();
  progress.times.clear();
  progress.history.clear();
  if (context_.transactional(part.front())) {
    run_in_transaction(progress, part, tx);
    return true;
  }
  if (context_.settings.dry_run) {
    skip_in_dry_run(progress, part);
    return false;
  }
  run_alone(progress, part.front(), tx);
  return true;
}

void BatchRunner::run_tracked(Progress& progress, const MigrationStep& step, Transaction& work,
                              Reporter& reporter) {
  progress.current = &step;
  progress.current_started = std::chrono::system_clock::now();
  const bool down_skipped = run_step(progress.direction, step, work, reporter);
  // A forced rollback of an irreversible migration says so in the history too.
  progress.history.push_back(HistoryEntry::until_now(down_skipped ? "forced " + progress.action : progress.action,
                                                     step.name, progress.batch, progress.current_started));
  progress.times.push_back(progress.history.back().finished);
  progress.current = nullptr;
}

bool BatchRunner::run_step(Direction direction, const MigrationStep& step, Transaction& tx, Reporter& reporter) {
  throw_if_interrupted();
  context_.reporter.migration_started(direction, step.name);
  const auto start = std::chrono::steady_clock::now();
  bool down_skipped = false;
  if (direction == Direction::up) {
    tx.run(step.migration->up, reporter);
  } else {
    try {
      tx.run(step.migration->down, reporter);
    } catch (const IrreversibleMigration& e) {
      // Reached only with --force (the rehearsal refuses otherwise): the record goes, the
      // schema stays as it is, and the user is told that nothing was undone.
      if (!context_.settings.force) throw;
      context_.reporter.migration_skipped(Direction::down, step.name,
                                          std::string("its down was not run (irreversible: ") + e.what() +
                                              "); --force deletes its record only");
      down_skipped = true;
    }
  }
  context_.reporter.migration_finished(
      direction, step.name,
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start));
  return down_skipped;
}

void BatchRunner::report_partial(const Progress& progress) {
  if (progress.committed.empty()) return;
  std::vector<std::string> rest;
  for (const auto& name : progress.all) {
    if (std::find(progress.committed.begin(), progress.committed.end(), name) == progress.committed.end()) {
      rest.push_back(name);
    }
  }
  context_.reporter.batch_partly_done(progress.direction, progress.batch, progress.committed, rest);
}

ExitCode BatchRunner::fail(Progress& progress, const std::exception& e, std::unique_ptr<Transaction>& tx) {
  // The measured report of a dry run ends with the failure too.
  MeasuringReporter* measuring = transactions_.dry_measuring_in_progress();
  if (measuring != nullptr && progress.current != nullptr) measuring->fail(e.what());
  // The statement failed because a signal cancelled it: stop the cancelling before the
  // clean-up below talks to the server.
  std::optional<Interrupted> interrupted;
  if (const int signal_number = interrupt_signal()) interrupted.emplace(signal_number);
  transactions_.discard(tx);
  transactions_.end_dry_run();
  if (interrupted) {
    report_partial(progress);
    throw *interrupted;
  }
  if (progress.current == nullptr) throw;  // bookkeeping failed, not a migration
  const std::string sqlstate = sqlstate_of(e);
  const std::string reason =
      e.what() + reset_lock_row_if_ended(e, context_.session, context_.store, context_.settings.limits);
  const std::string name = progress.current->name;
  context_.reporter.migration_failed(progress.direction, name, reason, sqlstate);
  record_failure(HistoryEntry::until_now(progress.action, name, progress.batch, progress.current_started, reason),
                 !connection_gone(e));
  report_partial(progress);
  // Kept from running by other sessions' locks, attempt after attempt: exit 5, as when
  // another runner holds the migration lock.
  return lock_conflict(sqlstate) ? ExitCode::locked : ExitCode::migration_failed;
}

void BatchRunner::record_failure(const HistoryEntry& entry, bool may_create_tables) {
  if (context_.settings.dry_run) return;
  try {
    auto tx = context_.begin_limited(TransactionKind::read_write);
    const auto state = context_.store.inspect(*tx);
    // A failed first run rolled the tables back with its batch: they are created again (as
    // knex creates them before any migration runs) so that the failure is in the history.
    // Not after a lost connection: a server that went away gets nothing new.
    if (!state.migrations_table_exists && !may_create_tables) return;
    context_.store.ensure_tables(*tx, state);
    context_.store.append_history(*tx, {entry});
    tx->commit();
  } catch (const std::exception& e) {
    spdlog::warn("could not record the failure in the history table: {}", e.what());
  }
}

}  // namespace sonamu
