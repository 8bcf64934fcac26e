#pragma once
/// The engine's view of the server: a session that holds the migration lock and opens
/// transactions, in which migration code runs and the catalog can be read. The PostgreSQL
/// adapters (src/pg) implement it; engine unit tests implement it in memory.

#include "core/catalog.hpp"
#include "core/data_check.hpp"
#include "core/data_loss.hpp"
#include "core/reporter.hpp"
#include "core/statement_meter.hpp"

#include <sonamu/migration.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace sonamu {

/// A statement of a migration failed on the server (or the connection was lost while it ran).
/// The adapters turn their driver's errors into this, so the engine knows no driver.
class DatabaseError : public std::runtime_error {
 public:
  DatabaseError(const std::string& message, std::string sqlstate, bool connection_lost = false)
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)), connection_lost_(connection_lost) {}
  /// The SQLSTATE, empty when the failure did not come from the server.
  const std::string& sqlstate() const { return sqlstate_; }
  /// The connection went away: the server may not be reachable to record anything.
  bool connection_lost() const { return connection_lost_; }

 private:
  std::string sqlstate_;
  bool connection_lost_ = false;
};

/// PostgreSQL limits for the statements of migrations (`statement_timeout`, `lock_timeout`).
struct StatementLimits {
  std::optional<std::string> statement_timeout;
  std::optional<std::string> lock_timeout;
};

/// A unit of work on the server. Destroying it without commit() rolls it back.
class Transaction {
 public:
  virtual ~Transaction() = default;
  /// Makes `limits` apply to the statements that follow, until this transaction ends.
  virtual void limit(const StatementLimits& limits) = 0;
  /// Runs a migration function here, telling `reporter` of every statement before it is sent.
  /// A failing statement throws DatabaseError.
  virtual void run(MigrationFn fn, Reporter& reporter) = 0;
  /// Commits. Throws sonamu::Error (migration_failed) when the outcome cannot be known.
  virtual void commit() = 0;
};

/// Held for its lifetime: no other runner of the same bookkeeping tables proceeds meanwhile.
class MigrationLock {
 public:
  virtual ~MigrationLock() = default;
};

/// How a transaction is opened.
enum class TransactionKind {
  read_write,  ///< one transaction, committed or rolled back as a whole
  read_only,   ///< reads only; for commands that change nothing
  autocommit,  ///< every statement on its own, for migrations that cannot run in a transaction
};

/// One connection to the server, as the engine uses it.
class Session {
 public:
  virtual ~Session() = default;
  /// Settings for a command that migrates (so the server aborts a killed client's work).
  virtual void prepare() = 0;
  /// Waits up to `timeout` for the migration lock, telling `observer` of the wait. Throws
  /// sonamu::Error (locked) naming the holder when it expires, sonamu::Interrupted on a signal.
  virtual std::unique_ptr<MigrationLock> lock(std::chrono::milliseconds timeout,
                                              const MigrationLockObserver& observer) = 0;
  /// Opens a transaction.
  virtual std::unique_ptr<Transaction> begin(TransactionKind kind) = 0;
  /// The user-visible catalog as comparable lines, without the bookkeeping tables.
  virtual Catalog catalog(Transaction& tx) = 0;
  /// Of `objects` (named as catalog() names them), those `tx` itself may have changed: the
  /// others cannot differ by its doing (another session created, altered or dropped them).
  virtual std::set<std::string> changed_here(Transaction& tx, const std::set<std::string>& objects) = 0;
  /// The user tables with their columns and types, without the bookkeeping tables.
  virtual SchemaShape schema_shape(Transaction& tx) = 0;
  /// How much data each of `losses` takes, for those that hold any: counted exactly in tables
  /// up to `exact_limit_bytes`, estimated from the planner's statistics above it (no scan).
  virtual std::vector<DataAtRisk> count_losses(Transaction& tx, const std::vector<Loss>& losses,
                                               long long exact_limit_bytes) = 0;
  /// Empty on a direct connection; behind a connection pooler, what it does ("transaction
  /// pooling", "session pooling"), known once prepare() or lock() has run. Behind a pooler no
  /// session-level lock is held: each transaction takes the lock itself, so work outside a
  /// transaction cannot be protected.
  virtual std::string pooler() { return {}; }
  /// Copies the rows of the user tables holding data into temporary tables of `tx`, for
  /// compare_rows: whole tables up to `exact_limit_bytes`, above it the first rows of a table
  /// with a primary key; other tables are left out with a note.
  /// Only the tables in `tables` (as tables_written names them) are read.
  virtual RowSnapshot snapshot_rows(Transaction& tx, long long exact_limit_bytes,
                                    const std::set<std::string>& tables) = 0;
  /// Runs `work` in `tx` and undoes it (a savepoint rolled back), returning the tables that
  /// existed before it and that it may have written to (their rows, or their definition), or
  /// that `tx` had written to before: the tables a data check of the same work has to copy.
  /// Whatever `work` throws is thrown after the undo.
  virtual std::set<std::string> tables_written(Transaction& tx, const std::function<void()>& work) = 0;
  /// Each column of each copied table that still exists, compared with its copy: by primary
  /// key when the table has one, as a multiset of values otherwise.
  virtual DataCheck compare_rows(Transaction& tx, const RowSnapshot& snapshot) = 0;
  /// The invalid indexes of user tables (a failed `CREATE INDEX CONCURRENTLY` leaves one),
  /// each as a quoted, schema-qualified name.
  virtual std::set<std::string> invalid_indexes(Transaction& tx) = 0;
  /// A meter of the statements that run next in `tx` (which it reads between them).
  virtual std::unique_ptr<StatementMeter> meter(Transaction& tx) = 0;
  /// Whether the server still serves this session, asked with one trivial statement (after
  /// a wait on a person, which idle_session_timeout or a restart may have ended).
  virtual bool still_connected() { return true; }
};

/// Whether a failure with this SQLSTATE is a lock conflict that a later attempt may not meet:
/// `lock_timeout` expired (55P03) or PostgreSQL broke a deadlock (40P01).
inline bool lock_conflict(const std::string& sqlstate) { return sqlstate == "55P03" || sqlstate == "40P01"; }

}  // namespace sonamu
