#pragma once
/// The bookkeeping tables (knex's `knex_migrations` and `knex_migrations_lock`, and the history
/// table) as the engine reads and writes them. The PostgreSQL store (src/pg/store) holds all of
/// their SQL; engine unit tests keep them in memory.

#include "core/bookkeeping.hpp"
#include "core/database.hpp"
#include "core/plan.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sonamu {

/// Reads and writes the bookkeeping tables inside the caller's transaction.
class BookkeepingStore {
 public:
  virtual ~BookkeepingStore() = default;

  /// Where the tables live.
  virtual const TableLocation& location() const = 0;

  /// Schema, tables and their columns, in one look.
  virtual TablesState inspect(Transaction& tx) = 0;

  /// Throws sonamu::Error: usage if the schema does not exist (it is never created silently),
  /// mismatch if an existing bookkeeping table does not have exactly knex's columns.
  virtual void validate(const TablesState& state) const = 0;

  /// Creates the tables that `state` says are absent, as knex does, and the single lock row.
  /// Returns whether the migrations table is this transaction's own creation, so holds no
  /// record: false when it existed, or when another session (knex) created it since `state`
  /// was read, and may have recorded a batch in it already.
  virtual bool ensure_tables(Transaction& tx, const TablesState& state) = 0;

  /// Every recorded migration, by id.
  virtual std::vector<AppliedMigration> read_applied(Transaction& tx) = 0;

  /// Every recorded migration in one statement, or nullopt when the tables are missing, not
  /// exactly knex's, or empty: then inspect/validate/read_applied tell the whole story.
  virtual std::optional<std::vector<AppliedMigration>> read_applied_if_plain(Transaction& tx) = 0;

  /// Records `names` as batch `batch`, with their completion times.
  virtual void record(Transaction& tx, const std::vector<std::string>& names, int batch,
                      const std::vector<std::chrono::system_clock::time_point>& times) = 0;

  /// Deletes the records with these ids.
  virtual void erase(Transaction& tx, const std::vector<std::int64_t>& ids) = 0;

  /// Sets knex's lock row to locked, so a knex process sees the table locked until the
  /// transaction ends. A knex batch in progress holds the row: waits for it at most `wait`.
  /// Throws sonamu::Error (locked) when the row stays locked, or when the wait expires.
  virtual void set_table_lock(Transaction& tx, std::chrono::milliseconds wait) = 0;

  /// Takes the migration lock for the rest of `tx` (released when it ends), waiting at most
  /// `wait` for another runner's transaction: batches exclude each other even where the
  /// session's own lock cannot hold (a transaction pooler). Throws sonamu::Error (locked) when
  /// the wait expires. In-memory stores have nothing to exclude.
  virtual void lock_transaction(Transaction& tx, std::chrono::milliseconds wait) {
    static_cast<void>(tx);
    static_cast<void>(wait);
  }

  /// Sets knex's lock row to unlocked again, inside the same transaction.
  virtual void clear_table_lock(Transaction& tx) = 0;

  /// Unlocks a lock row left locked; returns the is_locked value it had ("1", or whatever
  /// another tool left; "1, 2" for several rows), unset when it was not locked.
  virtual std::optional<std::string> reset_table_lock(Transaction& tx) = 0;

  /// Appends to the history table.
  virtual void append_history(Transaction& tx, const std::vector<HistoryEntry>& entries) = 0;

  /// The source hash each migration was applied with, by recorded name; empty without the
  /// sources table (a database only knex has used).
  virtual std::map<std::string, std::string> read_source_hashes(Transaction& tx) = 0;

  /// Records (or replaces) the source hash of each recorded name.
  virtual void record_source_hashes(Transaction& tx,
                                    const std::vector<std::pair<std::string, std::string>>& hashes) = 0;

  /// Deletes the source hashes of these recorded names (rolled back or forgotten).
  virtual void erase_source_hashes(Transaction& tx, const std::vector<std::string>& names) = 0;

  /// The newest `limit` history lines, newest first; empty without a history table.
  virtual std::vector<HistoryRecord> read_history(Transaction& tx, int limit) = 0;
};

}  // namespace sonamu
