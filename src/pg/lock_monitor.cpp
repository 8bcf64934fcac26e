#include "pg/lock_monitor.hpp"

#include "pg/connect.hpp"

#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/result>

namespace sonamu::pg {

namespace {

/// The lock `pid` waits for, one row per session holding it (pg_blocking_pids also names the
/// sessions queued ahead of it for a conflicting mode). Reads only the statistics views and
/// pg_class: it takes no lock that a migration or the application could wait for.
constexpr const char* wait_query = R"(
SELECT w.locktype, w.mode, coalesce(c.relname, ''),
       b.pid, coalesce(b.application_name, ''), coalesce(b.state, ''),
       coalesce(to_char(b.state_change AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ''),
       coalesce(floor(extract(epoch FROM now() - b.state_change))::bigint, 0),
       left(coalesce(b.query, ''), $2)
FROM pg_locks w
LEFT JOIN pg_class c ON c.oid = w.relation AND w.locktype = 'relation'
CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) WITH ORDINALITY AS blocker(pid, position)
LEFT JOIN pg_stat_activity b ON b.pid = blocker.pid
WHERE w.pid = $1 AND NOT w.granted
ORDER BY blocker.position)";

class PostgresLockMonitor final : public LockMonitor {
 public:
  PostgresLockMonitor(const conninfo::ConnectionTarget& target, int pid) : cx_(connect(target)), pid_(pid) {
    pqxx::nontransaction setup(*cx_);
    // Bounded, and named so an operator (and the tests) can tell it from the migrations'.
    setup.exec(std::string("SET application_name = '") + lock_monitor_application +
               "'; SET statement_timeout = '2s'; SET lock_timeout = '1s'");
  }

  std::optional<LockWait> check() override {
    pqxx::nontransaction ntx(*cx_);
    const auto rows = ntx.exec_params(wait_query, pid_, holder_query_length);
    if (rows.empty()) return std::nullopt;
    LockWait wait;
    wait.locktype = rows[0][0].as<std::string>();
    wait.mode = rows[0][1].as<std::string>();
    wait.relation = rows[0][2].as<std::string>();
    for (const auto& row : rows) {
      if (row[3].is_null()) continue;  // ended between the two reads
      LockHolder holder;
      holder.pid = row[3].as<int>();
      holder.application = row[4].as<std::string>();
      holder.state = row[5].as<std::string>();
      holder.since = row[6].as<std::string>();
      holder.state_seconds = row[7].as<long long>();
      holder.query = row[8].as<std::string>();
      wait.holders.push_back(std::move(holder));
    }
    if (wait.holders.empty()) return std::nullopt;
    return wait;
  }

 private:
  std::unique_ptr<pqxx::connection> cx_;
  int pid_;
};

}  // namespace

std::optional<int> watchable_backend(pqxx::connection_base& cx) {
  pqxx::nontransaction ntx(cx);
  const int server_pid = ntx.exec("SELECT pg_backend_pid()")[0][0].as<int>();
  if (server_pid != cx.backendpid()) return std::nullopt;
  return server_pid;
}

LockMonitorFactory lock_monitor_factory(conninfo::ConnectionTarget target, int pid) {
  return [target = std::move(target), pid]() -> std::unique_ptr<LockMonitor> {
    return std::make_unique<PostgresLockMonitor>(target, pid);
  };
}

}  // namespace sonamu::pg
