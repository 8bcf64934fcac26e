#pragma once
/// All SQL about the bookkeeping tables (`knex_migrations` and `knex_migrations_lock`, or the
/// configured names, and the history table), written so that knex and this tool can share them.

#include "core/bookkeeping_store.hpp"
#include "core/lock_wait.hpp"

#include <pqxx/connection_base>
#include <pqxx/except>
#include <pqxx/transaction_base>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sonamu::pg {

/// The bookkeeping store on PostgreSQL. Every identifier is quoted and every value bound.
/// Its transactions are the ones a pg::PostgresSession opens.
class Store final : public BookkeepingStore {
 public:
  Store(pqxx::connection_base& cx, TableLocation location);

  const TableLocation& location() const override { return location_; }
  TablesState inspect(Transaction& tx) override;
  void validate(const TablesState& state) const override;
  bool ensure_tables(Transaction& tx, const TablesState& state) override;
  std::vector<AppliedMigration> read_applied(Transaction& tx) override;
  /// A missing schema or table reads as nullopt (the statement fails on its own, outside any
  /// transaction, so nothing else is affected).
  std::optional<std::vector<AppliedMigration>> read_applied_if_plain(Transaction& tx) override;
  void record(Transaction& tx, const std::vector<std::string>& names, int batch,
              const std::vector<std::chrono::system_clock::time_point>& times) override;
  void erase(Transaction& tx, const std::vector<std::int64_t>& ids) override;
  void set_table_lock(Transaction& tx, std::chrono::milliseconds wait) override;
  void lock_transaction(Transaction& tx, std::chrono::milliseconds wait) override;
  void clear_table_lock(Transaction& tx) override;
  std::optional<std::string> reset_table_lock(Transaction& tx) override;
  void append_history(Transaction& tx, const std::vector<HistoryEntry>& entries) override;
  std::vector<HistoryRecord> read_history(Transaction& tx, int limit) override;
  std::map<std::string, std::string> read_source_hashes(Transaction& tx) override;
  void record_source_hashes(Transaction& tx,
                            const std::vector<std::pair<std::string, std::string>>& hashes) override;
  void erase_source_hashes(Transaction& tx, const std::vector<std::string>& names) override;

  /// The advisory lock key for this schema and table: runners of different tables never wait
  /// for each other.
  std::int64_t advisory_key() const;

  /// Tries once to take the session-level advisory lock; never waits.
  bool try_advisory_lock(pqxx::transaction_base& tx) const;

  /// Releases the session-level advisory lock.
  void release_advisory_lock(pqxx::transaction_base& tx) const;

  /// Who holds the advisory lock (pid, application, start time), for the timeout message.
  std::string advisory_lock_holder(pqxx::transaction_base& tx) const;

  /// The session holding the advisory lock, as a waiting command's status line names it;
  /// nullopt when this role may not see it.
  std::optional<LockHolder> advisory_lock_session(pqxx::transaction_base& tx) const;

  /// The key of the transaction-scoped lock: another key than the session lock's, so a
  /// session lock left behind in a pooled server connection never blocks a batch.
  std::int64_t transaction_lock_key() const;

 private:
  std::string qualified(const std::string& table) const;
  TablesState inspect(pqxx::transaction_base& tx) const;
  /// knex's DDL of the tables `state` lacks, the tool's own tables' DDL, and knex's lock row if
  /// missing: one string.
  std::string creation_sql(const TablesState& state) const;
  std::vector<AppliedMigration> read_applied(pqxx::transaction_base& tx) const;
  std::string lock_holder(pqxx::transaction_base& tx, std::int64_t key) const;
  /// Throws sonamu::Error (locked) naming `table` when `e` is the expiry of a configured limit
  /// (lock_timeout, statement_timeout); returns otherwise.
  void throw_if_limited(const pqxx::sql_error& e, const std::string& table) const;

  pqxx::connection_base& cx_;
  TableLocation location_;
  std::string migrations_sql_;  ///< quoted "schema"."table"
  std::string lock_sql_;        ///< quoted "schema"."table_lock"
  std::string history_sql_;     ///< quoted "schema"."table_history"
  std::string sources_sql_;     ///< quoted "schema"."table_sources"
};

/// A PostgreSQL array literal of text values, every element quoted, for one bound parameter.
std::string text_array_literal(const std::vector<std::string>& values);

}  // namespace sonamu::pg
