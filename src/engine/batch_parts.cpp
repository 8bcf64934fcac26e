// The parts of a batch: a run of transactional migrations in one transaction, tried again
// as a whole after a lock conflict; a migration without a transaction alone, tried again
// only when nothing of it can have taken effect; and what each part writes to the
// bookkeeping tables in the same transaction as its migrations.
#include "engine/batch_runner.hpp"

#include "core/interrupt.hpp"

#include <spdlog/spdlog.h>

namespace sonamu {

namespace {

std::set<std::string> invalid_indexes_now(Session& session) {
  auto tx = session.begin(TransactionKind::read_only);
  return session.invalid_indexes(*tx);
}

/// Throws when a migration run without a transaction that met a lock conflict must not be
/// tried again: nothing rolled back what its earlier statements did.
void refuse_retry_alone(const DatabaseError& e, const std::set<std::string>& invalid_before,
                        const std::set<std::string>& invalid_now, std::size_t statements) {
  std::string left;
  for (const auto& index : invalid_now) {
    if (invalid_before.count(index) == 0) left += (left.empty() ? "" : ", ") + index;
  }
  if (!left.empty()) {
    throw DatabaseError(std::string(e.what()) + "; it left the invalid index " + left +
                            " (CREATE INDEX CONCURRENTLY stopped half-way) and was not tried again: drop it "
                            "with DROP INDEX CONCURRENTLY " + left + ", then run the command again",
                        e.sqlstate());
  }
  if (statements > 1) {
    throw DatabaseError(std::string(e.what()) + "; not tried again: it runs without a transaction and " +
                            std::to_string(statements - 1) + " of its statements had taken effect before this one",
                        e.sqlstate());
  }
}

}  // namespace

void BatchRunner::run_in_transaction(Progress& progress, const Part& part, std::unique_ptr<Transaction>& tx) {
  // The part was planned in this transaction when it is already open: a new attempt reads
  // the records again and checks that the plan still holds.
  const bool planned_here = static_cast<bool>(tx);
  // Each attempt is the whole transaction, from BEGIN to COMMIT: everything taken in it
  // (knex's lock row, the tables' locks) is taken again.
  for (int attempt = 1;; ++attempt) {
    try {
      attempt_in_transaction(progress, part, tx, attempt > 1 && planned_here);
      break;
    } catch (const DatabaseError& e) {
      if (progress.current == nullptr || !pacer_.may_retry(e.sqlstate(), attempt)) throw;
      const std::string name = progress.current->name;
      progress.current = nullptr;
      transactions_.discard(tx);
      pacer_.wait(progress.direction, name, attempt, e, e.sqlstate());
    }
  }
  if (!context_.settings.dry_run) {
    spdlog::debug("committed {} migration(s) of batch {} in one transaction", part.size(), progress.batch);
  }
}

void BatchRunner::attempt_in_transaction(Progress& progress, const Part& part, std::unique_ptr<Transaction>& tx,
                                         bool check_records) {
  Transaction& work = transactions_.transaction(tx);
  if (check_records) records_.check_unchanged_since_planned(work);
  // After knex's lock row, whose wait sets a lock_timeout of its own and then resets it.
  transactions_.hold_table_lock(work);
  work.limit(context_.settings.limits);
  progress.times.clear();
  progress.history.clear();
  const bool measured = context_.settings.dry_run && context_.settings.measure_dry_run;
  for (const auto& step : part) {
    if (!measured) {
      run_tracked(progress, step, work, context_.reporter);
      continue;
    }
    MeasuringReporter& measuring = transactions_.dry_measuring(work);
    transactions_.dry_lint()->rollback = progress.direction == Direction::down;
    measuring.begin(step.name);
    run_tracked(progress, step, work, measuring);
  }
  finish_part(progress, work, part);
  context_.store.append_history(work, progress.history);
  transactions_.commit_part(tx);
}

void BatchRunner::skip_in_dry_run(Progress& progress, const Part& part) {
  const std::string& name = part.front().name;
  context_.reporter.migration_skipped(progress.direction, name,
                                      "it runs without a transaction, so a dry run cannot rehearse it");
  if (!context_.settings.measure_dry_run) return;
  auto& lint = transactions_.dry_lint();
  if (!lint) lint.emplace();
  lint->migrations.emplace_back();
  lint->migrations.back().name = name;
  lint->migrations.back().skipped = "it runs without a transaction, so it cannot be rehearsed in one";
}

void BatchRunner::run_alone(Progress& progress, const MigrationStep& step, std::unique_ptr<Transaction>& tx) {
  if (tx) transactions_.commit_part(tx);  // only the reading of the records is pending in it
  for (int attempt = 1;; ++attempt) {
    const auto invalid_before = invalid_indexes_now(context_.session);
    CountingReporter counting(context_.reporter);
    try {
      auto alone = context_.session.begin(TransactionKind::autocommit);
      alone->limit(context_.settings.limits);
      run_tracked(progress, step, *alone, counting);
      break;
    } catch (const DatabaseError& e) {
      if (!lock_conflict(e.sqlstate()) || interrupt_signal() != 0) throw;
      // Without a transaction nothing is rolled back: say what the attempt left, and try
      // again only if it cannot have changed anything.
      refuse_retry_alone(e, invalid_before, invalid_indexes_now(context_.session), counting.statements());
      if (attempt >= pacer_.attempts()) throw;
      progress.current = nullptr;
      pacer_.wait(progress.direction, step.name, attempt, e, e.sqlstate());
      progress.times.clear();
      progress.history.clear();
    }
  }
  auto record = context_.begin_limited(TransactionKind::read_write);
  finish_part(progress, *record, {step});
  context_.store.append_history(*record, progress.history);
  record->commit();  // no interrupt check: the migration itself already took effect
  spdlog::debug("ran {} without a transaction and recorded it", step.name);
}

void BatchRunner::finish_part(const Progress& progress, Transaction& tx, const Part& done) {
  std::vector<std::string> names;
  names.reserve(done.size());
  for (const auto& step : done) names.push_back(step.name);
  if (progress.direction == Direction::up) {
    std::vector<std::pair<std::string, std::string>> hashes;
    for (const auto& step : done) {
      if (!step.migration->source_hash.empty()) hashes.emplace_back(step.name, step.migration->source_hash);
    }
    context_.store.record(tx, names, progress.batch, progress.times);
    // What was applied, so that `status` can tell an applied migration edited since.
    context_.store.record_source_hashes(tx, hashes);
    return;
  }
  // The records go in the same transaction as the down functions: a crash at any point
  // leaves both, or neither.
  std::vector<std::int64_t> ids;
  ids.reserve(done.size());
  for (const auto& step : done) ids.push_back(step.id);
  context_.store.erase(tx, ids);
  context_.store.erase_source_hashes(tx, names);
}

}  // namespace sonamu
