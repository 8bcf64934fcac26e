#pragma once
/// The engine's Session over one libpqxx connection.

#include "core/database.hpp"
#include "pg/store.hpp"

#include <pqxx/connection_base>

namespace sonamu::pg {

/// Opens PostgresTransactions on `cx`; the migration lock is the advisory lock of `store`.
class PostgresSession final : public Session {
 public:
  PostgresSession(pqxx::connection_base& cx, const Store& store) : cx_(cx), store_(store) {}

  void prepare() override;
  std::unique_ptr<MigrationLock> lock(std::chrono::milliseconds timeout) override;
  std::unique_ptr<Transaction> begin(TransactionKind kind) override;
  std::set<std::string> catalog(Transaction& tx) override;
  SchemaShape schema_shape(Transaction& tx) override;
  std::vector<DataAtRisk> count_losses(Transaction& tx, const std::vector<Loss>& losses,
                                       long long exact_limit_bytes) override;
  std::set<std::string> invalid_indexes(Transaction& tx) override;
  std::unique_ptr<StatementMeter> meter(Transaction& tx) override;

 private:
  pqxx::connection_base& cx_;
  const Store& store_;
};

}  // namespace sonamu::pg
