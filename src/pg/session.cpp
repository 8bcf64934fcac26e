#include "pg/session.hpp"

#include "pg/advisory_lock.hpp"
#include "pg/catalog_snapshot.hpp"
#include "pg/row_comparison.hpp"
#include "pg/data_at_risk.hpp"
#include "pg/postgres_statement_meter.hpp"
#include "pg/transaction.hpp"

#include <pqxx/nontransaction>
#include <pqxx/result>

#include <spdlog/spdlog.h>

namespace sonamu::pg {

namespace {

/// Held behind a pooler: nothing. Each transaction takes the lock itself
/// (Store::lock_transaction): behind a transaction pooler a session-level lock would stay
/// with whichever pooled server connection ran the statement that took it, and a transaction
/// pooler that happens to hand back the same connection looks like a session pooler.
class TransactionScopedOnly final : public MigrationLock {};

}  // namespace

PoolMode PostgresSession::mode() {
  if (!mode_) {
    mode_ = detect_pool_mode(cx_, conninfo_);
    spdlog::debug("connection: {}", describe(*mode_));
  }
  return *mode_;
}

void PostgresSession::prepare() {
  // Behind a pooler a session setting could stay with a pooled server connection that other
  // clients use next.
  if (mode() != PoolMode::direct) return;
  // If this process dies (kill -9) during a long statement, the server notices within a
  // second and aborts it, releasing the transaction's locks and the advisory lock, instead
  // of running on until the statement ends (PostgreSQL 14 and later).
  if (cx_.server_version() >= 140000) {
    pqxx::nontransaction ntx(cx_);
    ntx.exec("SET client_connection_check_interval = 1000");
  }
}

bool PostgresSession::still_connected() {
  try {
    pqxx::nontransaction(cx_).exec("SELECT 1");
    return true;
  } catch (const pqxx::broken_connection&) {
    return false;
  }
}

std::unique_ptr<MigrationLock> PostgresSession::lock(std::chrono::milliseconds timeout,
                                                     const MigrationLockObserver& observer) {
  if (mode() != PoolMode::direct) return std::make_unique<TransactionScopedOnly>();
  return std::make_unique<AdvisoryLock>(cx_, store_, timeout, observer);
}

void PostgresSession::confine_to(std::string schema) {
  confined_ = std::move(schema);
  if (mode() != PoolMode::direct) return;
  pqxx::nontransaction ntx(cx_);
  ntx.exec("SET search_path TO " + ntx.quote_name(*confined_));
}

std::unique_ptr<Transaction> PostgresSession::begin(TransactionKind kind) {
  // Autocommit statements are refused behind a pooler before they run (transaction_pooling),
  // so only real transactions need the setting here. The pool mode is known before the
  // transaction opens: finding it out sends statements of its own.
  const PoolMode pool = kind == TransactionKind::autocommit ? PoolMode::direct : mode();
  auto tx = std::make_unique<PostgresTransaction>(cx_, kind);
  if (confined_ && pool != PoolMode::direct) {
    auto& native_tx = tx->native();
    native_tx.exec("SET LOCAL search_path TO " + native_tx.quote_name(*confined_));
  } else if (pool == PoolMode::transaction) {
    set_default_search_path(tx->native());
  }
  return tx;
}

void PostgresSession::set_default_search_path(pqxx::transaction_base& tx) {
  // Behind a transaction pooler the server connection may carry a search_path another client
  // set with a plain SET: the migrations would create their tables where that client pointed.
  // reset_val is the value the server connection started with (configuration, ALTER DATABASE
  // or ROLE ... SET), which no client's SET changes; read once, set in every transaction.
  if (!default_search_path_) {
    default_search_path_ =
        tx.exec("SELECT reset_val FROM pg_settings WHERE name = 'search_path'")[0][0].as<std::string>();
    spdlog::debug("transaction pooling: every transaction sets search_path to {}", *default_search_path_);
  }
  tx.exec_params("SELECT set_config('search_path', $1, true)", *default_search_path_);
}

Catalog PostgresSession::catalog(Transaction& tx) {
  return catalog_snapshot(native(tx), store_.location(), confined_);
}

std::set<std::string> PostgresSession::changed_here(Transaction& tx, const std::set<std::string>& objects) {
  return pg::changed_here(native(tx), objects);
}

SchemaShape PostgresSession::schema_shape(Transaction& tx) { return pg::schema_shape(native(tx), store_.location(), confined_); }

std::vector<DataAtRisk> PostgresSession::count_losses(Transaction& tx, const std::vector<Loss>& losses,
                                                      long long exact_limit_bytes) {
  return pg::count_losses(native(tx), losses, exact_limit_bytes);
}

RowSnapshot PostgresSession::snapshot_rows(Transaction& tx, long long exact_limit_bytes,
                                           const std::set<std::string>& tables) {
  return pg::snapshot_rows(native(tx), store_.location(), exact_limit_bytes, tables);
}

std::set<std::string> PostgresSession::tables_written(Transaction& tx, const std::function<void()>& work) {
  return pg::tables_written(native(tx), work);
}

DataCheck PostgresSession::compare_rows(Transaction& tx, const RowSnapshot& snapshot) {
  return pg::compare_rows(native(tx), snapshot);
}

std::unique_ptr<StatementMeter> PostgresSession::meter(Transaction& tx) {
  return std::make_unique<PostgresStatementMeter>(native(tx), store_.location());
}

std::set<std::string> PostgresSession::invalid_indexes(Transaction& tx) {
  // indisvalid is false only while a concurrent build runs or after one failed.
  const auto rows = native(tx).exec(
      "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_index i "
      "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE NOT i.indisvalid AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
      "AND n.nspname NOT LIKE 'pg\\_toast%'");
  std::set<std::string> names;
  for (const auto& row : rows) names.insert(row[0].as<std::string>());
  return names;
}

}  // namespace sonamu::pg
