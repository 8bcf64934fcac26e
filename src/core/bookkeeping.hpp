#pragma once
/// The bookkeeping tables as values: where they live, what a look at them found, and one line
/// of the history table. Shared by the store interface and its implementations.

#include <chrono>
#include <string>
#include <vector>

namespace sonamu {

/// Where the bookkeeping tables live.
struct TableLocation {
  std::string schema = "public";
  std::string table = "knex_migrations";

  /// Name of the lock table, as knex derives it: the migrations table plus `_lock`.
  std::string lock_table() const { return table + "_lock"; }
  /// Name of the history table (not knex's): the migrations table plus `_history`.
  std::string history_table() const { return table + "_history"; }
  /// Name of the table of applied source hashes (not knex's): the migrations table plus
  /// `_sources`. knex never reads it, so knex and this tool still share the database.
  std::string sources_table() const { return table + "_sources"; }
};

/// What one catalog query tells about the bookkeeping tables.
struct TablesState {
  bool schema_exists = false;
  bool migrations_table_exists = false;
  bool lock_table_exists = false;
  bool history_table_exists = false;
  bool sources_table_exists = false;
  std::vector<std::string> migrations_columns;  ///< in column order
  std::vector<std::string> lock_columns;
  /// What makes the tables found unusable although their column names fit: a view instead of
  /// a table, a column of another type, a history table of another layout.
  std::vector<std::string> problems;
};

/// What was done to one migration, when, and how it ended: one line to append to the
/// history table.
struct HistoryEntry {
  std::string action;  ///< run, up, rollback, down, forget, mark
  std::string name;
  int batch = 0;
  std::chrono::system_clock::time_point started;
  std::chrono::system_clock::time_point finished;
  bool success = true;
  std::string error;  ///< empty on success

  /// A success that took no time: forget and mark, which run no migration code.
  static HistoryEntry instant(std::string action, std::string name, int batch);
  /// A migration that ran from `started` until now; `error` empty means it succeeded.
  static HistoryEntry until_now(std::string action, std::string name, int batch,
                                std::chrono::system_clock::time_point started,
                                std::string error = {});
};

/// One line of the history table as read back, with what the server filled in.
struct HistoryRecord {
  std::string action;
  std::string name;
  int batch = 0;
  std::string started_at;  ///< UTC ISO 8601
  long long duration_ms = 0;
  bool success = true;
  std::string error;
  std::string db_user;
  std::string client_host;
  std::string tool_version;
};

}  // namespace sonamu
