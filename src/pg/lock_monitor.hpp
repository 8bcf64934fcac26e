#pragma once
/// The LockMonitor over a second libpqxx connection: what the migrations' backend waits for,
/// from pg_locks, pg_blocking_pids() and pg_stat_activity.

#include "conninfo/connection_target.hpp"
#include "core/lock_wait.hpp"

#include <pqxx/connection_base>

#include <optional>

namespace sonamu::pg {

/// The application_name of the monitoring connection, as pg_stat_activity shows it.
inline constexpr const char* lock_monitor_application = "sonamu-migrate lock monitor";

/// The longest query text of a lock holder that is kept (characters).
inline constexpr int holder_query_length = 200;

/// The backend pid of `cx` when another connection can watch it: the pid the server reports
/// for the session equals the one the connection was given at start-up. A pooler (PgBouncer,
/// and the others that hand out their own cancel keys) gives a pid of its own, and in
/// transaction mode the server session changes between transactions: then nullopt.
std::optional<int> watchable_backend(pqxx::connection_base& cx);

/// Opens, on each call, one monitoring connection to `target` watching backend `pid`.
LockMonitorFactory lock_monitor_factory(conninfo::ConnectionTarget target, int pid);

}  // namespace sonamu::pg
