#pragma once
/// The session-level advisory lock that serialises runners of the same bookkeeping table.

#include "core/database.hpp"
#include "core/lock_wait.hpp"
#include "pg/store.hpp"

#include <pqxx/connection_base>

#include <chrono>

namespace sonamu::pg {

/// Holds the advisory lock for its lifetime. Waiting polls `pg_try_advisory_lock` outside any
/// transaction, so a waiter never holds a snapshot that a concurrent `CREATE INDEX
/// CONCURRENTLY` would have to wait for. A killed process loses the lock with its session.
class AdvisoryLock final : public MigrationLock {
 public:
  /// Waits up to `timeout`, telling `observer` who holds it meanwhile; throws sonamu::Error
  /// (locked) naming the holder when it expires.
  AdvisoryLock(pqxx::connection_base& cx, const Store& store, std::chrono::milliseconds timeout,
               const MigrationLockObserver& observer);
  ~AdvisoryLock() override;
  AdvisoryLock(const AdvisoryLock&) = delete;
  AdvisoryLock& operator=(const AdvisoryLock&) = delete;

 private:
  pqxx::connection_base& cx_;
  const Store& store_;
};

}  // namespace sonamu::pg
