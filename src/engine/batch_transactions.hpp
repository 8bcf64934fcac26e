#pragma once
/// The transactions of a command that runs batches: each batch (or part of one) in a
/// transaction holding the migration lock and knex's lock row, or, in a dry run, the one
/// transaction kept from the first read to the end of the command and always rolled back,
/// with the meter its lint report measures with.

#include "engine/engine_context.hpp"
#include "engine/lint_rehearsal.hpp"
#include "engine/measuring_reporter.hpp"

#include <memory>
#include <optional>

namespace sonamu {

class BatchTransactions {
 public:
  explicit BatchTransactions(EngineContext& context) : context_(context) {}

  /// The transaction to work in: `tx`, opened (locked) if it is not; in a dry run, the one
  /// transaction of the command, which takes `tx` over.
  Transaction& transaction(std::unique_ptr<Transaction>& tx);
  /// Takes knex's lock row in `tx`, once per transaction.
  void hold_table_lock(Transaction& tx);
  /// Commits `tx` (knex's lock row released in the same commit); a dry run commits nothing.
  void commit_part(std::unique_ptr<Transaction>& tx);
  /// Rolls `tx` back by dropping it.
  void discard(std::unique_ptr<Transaction>& tx);
  /// Rolls the dry run's transaction back, with its meter.
  void end_dry_run();
  /// The dry run's measuring reporter over `work`, made with its meter on first use.
  MeasuringReporter& dry_measuring(Transaction& work);
  /// The measuring reporter of the dry run in progress, if one was made.
  MeasuringReporter* dry_measuring_in_progress() { return dry_measuring_.get(); }
  /// What the dry run measured (MigratorSettings::measure_dry_run); unset otherwise.
  std::optional<LintRehearsal>& dry_lint() { return dry_lint_; }

 private:
  EngineContext& context_;
  std::unique_ptr<Transaction> dry_tx_;  ///< the one transaction of a dry run
  /// The meter of dry_tx_ and the reporter that measures with it; reset with dry_tx_.
  std::unique_ptr<StatementMeter> dry_meter_;
  std::unique_ptr<MeasuringReporter> dry_measuring_;
  std::optional<LintRehearsal> dry_lint_;
  /// The transaction that holds knex's lock row, compared by address only (never used).
  const Transaction* table_lock_holder_ = nullptr;
};

}  // namespace sonamu
