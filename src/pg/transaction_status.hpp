#pragma once
/// Whether the server still has a transaction block open on a connection, as libpq last heard
/// it (PQtransactionStatus: no round trip).

#include <pqxx/connection_base>

namespace sonamu::pg {

/// The server's transaction state after the last statement on `cx`.
enum class TransactionState {
  idle,     ///< no transaction block open: each statement commits on its own
  open,     ///< inside a transaction block
  failed,   ///< inside a transaction block that an error aborted
  unknown,  ///< no connection, or a statement still running
};

/// What libpq knows of `cx`'s transaction block.
TransactionState transaction_state(const pqxx::connection_base& cx);

}  // namespace sonamu::pg
