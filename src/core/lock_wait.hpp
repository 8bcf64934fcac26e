#pragma once
/// What a migration's statement waits for when it waits for a table lock, and the seam through
/// which it is found out: a bounded monitoring connection, opened only while a statement runs
/// long (src/pg implements it over libpqxx; the CLI drives it).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sonamu {

/// A session holding the lock a migration waits for, as pg_stat_activity shows it.
struct LockHolder {
  int pid = 0;
  std::string application;  ///< application_name, empty when the client set none
  std::string state;        ///< "idle in transaction", "active", ...
  std::string since;        ///< when it entered that state, UTC ISO 8601
  long long state_seconds = 0;  ///< for how long it has been in that state
  std::string query;        ///< its current or last statement, cut to a bounded length
};

/// The lock the migration's session waits for, and who holds it.
struct LockWait {
  std::string relation;  ///< table (or other relation) name; empty for a non-relation lock
  std::string locktype;  ///< pg_locks.locktype ("relation", "transactionid", ...)
  std::string mode;      ///< the mode requested ("AccessExclusiveLock", ...)
  std::vector<LockHolder> holders;
};

/// The command waits for the migration lock, which another runner holds.
struct MigrationLockWait {
  std::optional<LockHolder> holder;  ///< empty when this role may not see the holder
  std::chrono::milliseconds waited{0};
};

/// Told when a wait for the migration lock starts, about once a second while it lasts, and with
/// nullopt once it has ended (the lock taken, or the wait given up).
using MigrationLockObserver = std::function<void(const std::optional<MigrationLockWait>&)>;

/// Whether a failure with this SQLSTATE ended a wait for a lock: lock_timeout (55P03),
/// statement_timeout or a cancel (57014), a deadlock (40P01). Only then does the lock last
/// seen waited for say who kept the statement from finishing.
inline bool ends_lock_wait(const std::string& sqlstate) {
  return sqlstate == "55P03" || sqlstate == "57014" || sqlstate == "40P01";
}

/// One open monitoring connection, watching one backend (the migrations' session).
class LockMonitor {
 public:
  virtual ~LockMonitor() = default;
  /// What the watched backend waits for now; nullopt when it waits for no lock. Throws on a
  /// failure of the monitoring connection (the caller stops monitoring).
  virtual std::optional<LockWait> check() = 0;
};

/// Opens a monitoring connection when called. Empty when monitoring is impossible or would be
/// wrong (a transaction pooler between the tool and the server).
using LockMonitorFactory = std::function<std::unique_ptr<LockMonitor>()>;

}  // namespace sonamu
