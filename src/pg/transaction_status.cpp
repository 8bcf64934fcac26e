#include "pg/transaction_status.hpp"

#include <libpq-fe.h>
#include <pqxx/version>

namespace sonamu::pg {

namespace {

// libpqxx 6 keeps a connection's libpq handle private and has no call for the transaction
// status. An explicit instantiation may name a private member (access is not checked in one),
// which reads the handle without changing libpqxx. libpqxx 7 offers no such member by design:
// revisit this file when moving to it.
static_assert(PQXX_VERSION_MAJOR == 6, "transaction_state reads libpqxx 6's connection handle");

using HandleMember = pqxx::internal::pq::PGconn* pqxx::connection_base::*;

HandleMember handle_member();

template <HandleMember member>
struct HandleAccess {
  friend HandleMember handle_member() { return member; }
};

template struct HandleAccess<&pqxx::connection_base::m_conn>;

}  // namespace

TransactionState transaction_state(const pqxx::connection_base& cx) {
  const PGconn* handle = cx.*handle_member();
  if (handle == nullptr) return TransactionState::unknown;
  switch (PQtransactionStatus(handle)) {
    case PQTRANS_IDLE: return TransactionState::idle;
    case PQTRANS_INTRANS: return TransactionState::open;
    case PQTRANS_INERROR: return TransactionState::failed;
    default: return TransactionState::unknown;
  }
}

}  // namespace sonamu::pg
