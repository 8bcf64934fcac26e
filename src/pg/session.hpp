#pragma once
/// The engine's Session over one libpqxx connection.

#include "core/database.hpp"
#include "pg/store.hpp"

#include <pqxx/connection_base>

#include <optional>
#include <string>

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

  /// What a rollback deletes is looked for in `schema` alone: for a tenant schema whose
  /// neighbours in the same database are migrated at the same time.
  void confine_to(std::string schema) { confined_ = std::move(schema); }

 private:
  pqxx::connection_base& cx_;
  const Store& store_;
  std::optional<std::string> confined_;
};

}  // namespace sonamu::pg
