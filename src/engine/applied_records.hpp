#pragma once
/// The records of applied migrations as a command reads them: checked against the compiled
/// migrations (a record without its file stops the command, as knex's "corrupt directory"),
/// read for a batch under knex's lock row, and read again before a batch is tried again.

#include "engine/batch_transactions.hpp"
#include "engine/engine_context.hpp"

#include <string>
#include <vector>

namespace sonamu {

class AppliedRecords {
 public:
  AppliedRecords(EngineContext& context, BatchTransactions& transactions)
      : context_(context), transactions_(transactions) {}

  /// The records, the bookkeeping tables validated (and created when `create`; without it a
  /// missing table reads as no records).
  std::vector<AppliedMigration> read_checked(Transaction& tx, bool create);
  /// The records a batch is planned on, read under knex's lock row and the limits, the
  /// tables created when missing; kept as last_read().
  std::vector<AppliedMigration> read_for_batch(Transaction& tx);
  /// What read_for_batch read last.
  const std::vector<AppliedMigration>& last_read() const { return last_read_; }
  /// Throws sonamu::Error (migration_failed) if the records in `tx` differ from last_read():
  /// the batch was planned on records another tool has changed since.
  void check_unchanged_since_planned(Transaction& tx);
  /// Pending `stems` that sort before the newest of `applied`: warned about, or refused
  /// (sonamu::Error, mismatch) as the settings say.
  void check_order(const std::vector<std::string>& stems, const std::vector<AppliedMigration>& applied);

 private:
  std::vector<AppliedMigration> only_known(std::vector<AppliedMigration> applied) const;

  EngineContext& context_;
  BatchTransactions& transactions_;
  std::vector<AppliedMigration> last_read_;  ///< the records as a batch was planned on them
};

}  // namespace sonamu
