#include "engine/batch_transactions.hpp"

namespace sonamu {

Transaction& BatchTransactions::transaction(std::unique_ptr<Transaction>& tx) {
  if (context_.settings.dry_run) {
    // A dry run is one transaction from the first read to the end of the command.
    if (!dry_tx_) dry_tx_ = std::move(tx);
    if (!dry_tx_) dry_tx_ = context_.begin_locked();
    return *dry_tx_;
  }
  if (!tx) tx = context_.begin_locked();
  return *tx;
}

void BatchTransactions::hold_table_lock(Transaction& tx) {
  if (table_lock_holder_ == &tx) return;
  context_.store.set_table_lock(tx, context_.settings.lock_timeout);
  table_lock_holder_ = &tx;
}

void BatchTransactions::commit_part(std::unique_ptr<Transaction>& tx) {
  if (context_.settings.dry_run) return;  // rolled back by end_dry_run
  if (table_lock_holder_ == tx.get()) {
    // knex sees the row locked exactly while a batch runs: unlocked again in the same commit.
    context_.store.clear_table_lock(*tx);
    table_lock_holder_ = nullptr;
  }
  commit_unless_interrupted(*tx);
  tx.reset();
}

void BatchTransactions::discard(std::unique_ptr<Transaction>& tx) {
  if (table_lock_holder_ == tx.get()) table_lock_holder_ = nullptr;
  tx.reset();
}

void BatchTransactions::end_dry_run() {
  // The meter reads through the dry run's transaction: it goes first.
  dry_measuring_.reset();
  dry_meter_.reset();
  discard(dry_tx_);
}

MeasuringReporter& BatchTransactions::dry_measuring(Transaction& work) {
  if (!dry_measuring_) {
    // Made once the records are read and knex's lock row is held, in the same transaction as
    // the migrations: the dry run itself is measured, it is not rehearsed a second time.
    dry_meter_ = context_.session.meter(work);
    if (!dry_lint_) dry_lint_.emplace();
    dry_lint_->existing = dry_meter_->existing();
    dry_measuring_ = std::make_unique<MeasuringReporter>(context_.reporter, *dry_meter_, dry_lint_->migrations,
                                                         context_.settings.measure_filter);
  }
  return *dry_measuring_;
}

}  // namespace sonamu
