#pragma once
/// What sits between this tool and PostgreSQL: nothing, a pooler that keeps one server
/// connection per client (session pooling), or one that hands each transaction whichever server
/// connection is free (transaction pooling, e.g. PgBouncer's pool_mode=transaction).

#include <pqxx/connection_base>

#include <string>

namespace sonamu::pg {

enum class PoolMode {
  direct,       ///< the server process that answered the start-up is the one running the queries
  session,      ///< a proxy, but session state set by one statement is seen by the next
  transaction,  ///< session state does not survive from one transaction to the next
};

/// Finds out by asking the server, never from a setting: a direct connection runs its queries
/// in the backend whose pid libpq received at start-up (a pooler sends a pid of its own).
/// Behind a proxy, a second, short-lived client with the same connection string (given 2 s
/// to get a server connection, which a full session pool never gives it) marks the server
/// connection it uses with a session variable: if this connection then sees that
/// mark, server connections pass from client to client between transactions. Otherwise this
/// connection's own mark must stay, in the same backend, from statement to statement (three
/// times). Sends a few statements outside any transaction. `conninfo` is the string `cx` was
/// opened with (empty: no second client, the own marks alone decide).
PoolMode detect_pool_mode(pqxx::connection_base& cx, const std::string& conninfo);

/// "direct", "session pooling", "transaction pooling", for messages.
const char* describe(PoolMode mode);

}  // namespace sonamu::pg
