#pragma once
/// All SQL about the bookkeeping tables (`knex_migrations` and `knex_migrations_lock`, or the
/// configured names), written so that knex and this tool can share them.

#include "core/plan.hpp"

#include <pqxx/connection_base>
#include <pqxx/transaction_base>

#include <chrono>
#include <optional>
#include <cstdint>
#include <string>
#include <vector>

namespace sonamu::pg {

/// Where the bookkeeping tables live.
struct TableLocation {
  std::string schema = "public";
  std::string table = "knex_migrations";
};

/// What one catalog query tells about the bookkeeping tables.
struct TablesState {
  bool schema_exists = false;
  bool migrations_table_exists = false;
  bool lock_table_exists = false;
  bool history_table_exists = false;
  std::vector<std::string> migrations_columns;  ///< in column order
  std::vector<std::string> lock_columns;
};

/// One line of the history table: what was done to one migration, when, and how it ended.
struct HistoryEntry {
  std::string action;  ///< run, rollback, down, forget, mark
  std::string name;
  int batch = 0;
  std::chrono::system_clock::time_point started;
  std::chrono::system_clock::time_point finished;
  bool success = true;
  std::string error;
  // Filled when read back:
  std::string started_text;  ///< UTC ISO 8601
  long long duration_ms = 0;
  std::string db_user;
  std::string client_host;
  std::string tool_version;
};

/// Reads and writes the bookkeeping tables. Every identifier is quoted and every value bound.
class Store {
 public:
  Store(pqxx::connection_base& cx, TableLocation location);

  /// Name of the lock table, as knex derives it: the migrations table plus `_lock`.
  const std::string& lock_table() const { return lock_table_; }
  const TableLocation& location() const { return location_; }

  /// Schema, tables and their columns, in one round trip.
  TablesState inspect(pqxx::transaction_base& tx) const;

  /// Throws sonamu::Error: usage if the schema does not exist (it is never created silently),
  /// mismatch if an existing bookkeeping table does not have exactly knex's columns.
  void validate(const TablesState& state) const;

  /// Creates the tables that `state` says are absent, as knex does, and the single lock row.
  void ensure_tables(pqxx::transaction_base& tx, const TablesState& state) const;

  /// Convenience for tests: inspect, validate and ensure in one call.
  void ensure_tables(pqxx::transaction_base& tx) const;

  /// The record of one migration, matched by stem (any extension); nullopt if not recorded.
  std::vector<AppliedMigration> find_recorded(pqxx::transaction_base& tx,
                                              const std::string& stem) const;

  /// Appends to the history table (`<table>_history`), in one statement.
  void append_history(pqxx::transaction_base& tx, const std::vector<HistoryEntry>& entries) const;

  /// The newest `limit` history entries, newest first; empty if there is no history table.
  std::vector<HistoryEntry> read_history(pqxx::transaction_base& tx, int limit) const;

  /// Name of the history table.
  const std::string& history_table() const { return history_table_; }

  /// Sets `is_locked = 0` on a lock row left at 1; returns whether any row was locked.
  bool reset_table_lock(pqxx::transaction_base& tx) const;

  /// Every recorded migration, by id, in one statement, or nullopt when the table is not
  /// exactly knex's (or is empty): then inspect/validate/read_applied tell the whole story.
  /// Throws pqxx::sql_error when the schema or table does not exist.
  std::optional<std::vector<AppliedMigration>> read_applied_if_plain(pqxx::transaction_base& tx) const;

  /// Every recorded migration, by id.
  std::vector<AppliedMigration> read_applied(pqxx::transaction_base& tx) const;

  /// Records `names` as batch `batch`, with their completion times, in one statement.
  void record(pqxx::transaction_base& tx, const std::vector<std::string>& names, int batch,
              const std::vector<std::chrono::system_clock::time_point>& times) const;

  /// Deletes the rows with these ids, in one statement.
  void erase(pqxx::transaction_base& tx, const std::vector<std::int64_t>& ids) const;

  /// Sets `is_locked = 1` as knex does, so a knex process sees the table as locked until
  /// the transaction ends. Throws sonamu::Error (locked) when the row is already locked.
  void set_table_lock(pqxx::transaction_base& tx) const;

  /// Sets `is_locked = 0` again, inside the same transaction, before it commits.
  void clear_table_lock(pqxx::transaction_base& tx) const;

  /// The advisory lock key for this schema and table: runners of different tables never wait
  /// for each other.
  std::int64_t advisory_key() const;

  /// Tries once to take the session-level advisory lock; never waits.
  bool try_advisory_lock(pqxx::transaction_base& tx) const;

  /// Releases the session-level advisory lock.
  void release_advisory_lock(pqxx::transaction_base& tx) const;

  /// Who holds the advisory lock (pid, application, start time), for the timeout message.
  std::string advisory_lock_holder(pqxx::transaction_base& tx) const;

 private:
  std::string qualified(const std::string& table) const;

  pqxx::connection_base& cx_;
  TableLocation location_;
  std::string lock_table_;
  std::string history_table_;
  std::string migrations_sql_;  ///< quoted "schema"."table"
  std::string lock_sql_;        ///< quoted "schema"."table_lock"
  std::string history_sql_;     ///< quoted "schema"."table_history"
};

/// A PostgreSQL array literal of text values, every element quoted, for one bound parameter.
std::string text_array_literal(const std::vector<std::string>& values);

}  // namespace sonamu::pg
