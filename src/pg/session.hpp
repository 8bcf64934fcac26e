#pragma once
/// The engine's Session over one libpqxx connection.

#include "core/database.hpp"
#include "pg/pool_mode.hpp"
#include "pg/store.hpp"

#include <pqxx/connection>
#include <pqxx/connection_base>
#include <pqxx/transaction_base>

#include <optional>
#include <string>

namespace sonamu::pg {

/// Opens PostgresTransactions on `cx`; the migration lock is the advisory lock of `store`.
class PostgresSession final : public Session {
 public:
  PostgresSession(pqxx::connection_base& cx, const Store& store) : cx_(cx), store_(store) {}
  /// The same, knowing the connection string, so the pool mode can be probed from a second
  /// client (pool_mode.hpp).
  PostgresSession(pqxx::connection& cx, const Store& store) : cx_(cx), store_(store), conninfo_(cx.options()) {}

  void prepare() override;
  std::unique_ptr<MigrationLock> lock(std::chrono::milliseconds timeout, const MigrationLockObserver& observer) override;
  std::unique_ptr<Transaction> begin(TransactionKind kind) override;
  Catalog catalog(Transaction& tx) override;
  std::set<std::string> changed_here(Transaction& tx, const std::set<std::string>& objects) override;
  SchemaShape schema_shape(Transaction& tx) override;
  std::vector<DataAtRisk> count_losses(Transaction& tx, const std::vector<Loss>& losses,
                                       long long exact_limit_bytes) override;
  bool still_connected() override;
  std::string pooler() override { return mode() == PoolMode::direct ? std::string() : describe(mode()); }
  RowSnapshot snapshot_rows(Transaction& tx, long long exact_limit_bytes,
                            const std::set<std::string>& tables) override;
  std::set<std::string> tables_written(Transaction& tx, const std::function<void()>& work) override;
  DataCheck compare_rows(Transaction& tx, const RowSnapshot& snapshot) override;

  /// Runs the migrations with `search_path` set to `schema` alone, so that unqualified names
  /// land there, and looks for what a rollback deletes in `schema` alone: for a tenant schema
  /// whose neighbours in the same database are migrated at the same time. On a direct
  /// connection the setting is the session's; behind a pooler each transaction sets it again
  /// (`SET LOCAL`), since a session setting would stay with whichever pooled server connection
  /// ran it, and the next transaction may run on another.
  void confine_to(std::string schema);
  std::set<std::string> invalid_indexes(Transaction& tx) override;
  std::unique_ptr<StatementMeter> meter(Transaction& tx) override;

 private:
  /// Asks the server once, on first use.
  PoolMode mode();
  /// Sets, for `tx` alone, the search_path the database gives a new session (read once).
  void set_default_search_path(pqxx::transaction_base& tx);

  pqxx::connection_base& cx_;
  const Store& store_;
  std::string conninfo_;
  std::optional<PoolMode> mode_;
  std::optional<std::string> confined_;
  std::optional<std::string> default_search_path_;
};

}  // namespace sonamu::pg
