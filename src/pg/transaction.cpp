#include "pg/transaction.hpp"

#include "core/error.hpp"
#include "core/program_name.hpp"
#include "pg/transaction_knex.hpp"
#include "pg/transaction_status.hpp"

#include <pqxx/except>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

namespace sonamu::pg {

namespace {

std::unique_ptr<pqxx::transaction_base> open(pqxx::connection_base& cx, TransactionKind kind) {
  switch (kind) {
    case TransactionKind::read_write: return std::make_unique<pqxx::work>(cx);
    case TransactionKind::read_only: return std::make_unique<pqxx::read_transaction>(cx);
    case TransactionKind::autocommit: return std::make_unique<pqxx::nontransaction>(cx);
  }
  return nullptr;
}

/// Rolls back a transaction block that a migration run without one left open; returns whether
/// there was one.
bool roll_back_left_open(pqxx::transaction_base& tx) {
  const TransactionState state = transaction_state(tx.conn());
  if (state != TransactionState::open && state != TransactionState::failed) return false;
  try {
    tx.exec("ROLLBACK");
  } catch (const std::exception&) {
    // The connection is gone, and the open transaction with it.
  }
  return true;
}

}  // namespace

PostgresTransaction::PostgresTransaction(pqxx::connection_base& cx, TransactionKind kind)
    : kind_(kind), tx_(open(cx, kind)) {}

PostgresTransaction::~PostgresTransaction() {
  if (!limited_) return;
  try {
    // Session-wide limits of a migration run outside a transaction end with it.
    tx_->exec("RESET statement_timeout; RESET lock_timeout");
  } catch (...) {
    // The connection is gone, and the settings with it.
  }
}

void PostgresTransaction::limit(const StatementLimits& limits) {
  // set_config(..., true) is SET LOCAL: the limits end with the transaction. Outside a
  // transaction they are set for the session and reset when this object ends.
  const bool local = kind_ != TransactionKind::autocommit;
  const std::string scope = local ? "true" : "false";
  if (limits.statement_timeout) {
    tx_->exec_params("SELECT set_config('statement_timeout', $1, " + scope + ")", *limits.statement_timeout);
  }
  if (limits.lock_timeout) {
    tx_->exec_params("SELECT set_config('lock_timeout', $1, " + scope + ")", *limits.lock_timeout);
  }
  if (!local && (limits.statement_timeout || limits.lock_timeout)) limited_ = true;
}

void PostgresTransaction::run(MigrationFn fn, Reporter& reporter) {
  TransactionKnex knex(*tx_, reporter, kind_ != TransactionKind::autocommit);
  if (kind_ != TransactionKind::autocommit) {
    fn(knex);
    return;
  }
  // Outside a transaction a migration may begin and commit its own; it must not leave one
  // open, or the statements that record it would run inside it (or fail in an aborted one).
  try {
    fn(knex);
  } catch (...) {
    roll_back_left_open(*tx_);
    throw;
  }
  if (roll_back_left_open(*tx_)) {
    throw DatabaseError(
        "it left a transaction open (BEGIN without COMMIT): what ran since that BEGIN was rolled back", "");
  }
}

void PostgresTransaction::commit() {
  try {
    tx_->commit();
  } catch (const pqxx::in_doubt_error&) {
    throw Error(ExitCode::migration_failed,
                "The connection was lost while committing: the batch may or may not have been "
                "applied; check `" + program_name() + " migrate status`");
  }
}

pqxx::transaction_base& native(Transaction& tx) {
  return static_cast<PostgresTransaction&>(tx).native();
}

}  // namespace sonamu::pg
