#pragma once
/// A transaction of the engine's Transaction interface over libpqxx: `pqxx::work`,
/// `pqxx::read_transaction` or, for migrations that cannot run in a transaction,
/// `pqxx::nontransaction`.

#include "core/database.hpp"

#include <pqxx/connection_base>
#include <pqxx/transaction_base>

#include <memory>

namespace sonamu::pg {

/// Rolls back when destroyed without commit(), as libpqxx's own transactions do.
class PostgresTransaction final : public Transaction {
 public:
  PostgresTransaction(pqxx::connection_base& cx, TransactionKind kind);
  ~PostgresTransaction() override;

  void limit(const StatementLimits& limits) override;
  void run(MigrationFn fn, Reporter& reporter) override;
  void commit() override;

  /// The libpqxx transaction, for the adapters' own statements.
  pqxx::transaction_base& native() { return *tx_; }

 private:
  TransactionKind kind_;
  std::unique_ptr<pqxx::transaction_base> tx_;
  bool limited_ = false;  ///< session-wide limits were set (autocommit) and must be reset
};

/// The libpqxx transaction behind `tx`: the PostgreSQL adapters only ever receive
/// transactions that a PostgresSession opened.
pqxx::transaction_base& native(Transaction& tx);

}  // namespace sonamu::pg
