#pragma once
/// The project configuration file, `sonamu.config.json`: where migrations live and how each
/// environment connects. Found by searching upward from the current folder.

#include "core/env_lookup.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sonamu::config {

/// Limits that the `migrations` section or one environment may set.
struct Limits {
  std::optional<int> connect_timeout;              ///< seconds
  std::optional<double> lock_timeout;              ///< seconds, the migration lock
  std::optional<std::string> statement_timeout;    ///< PostgreSQL duration
  std::optional<std::string> lock_timeout_sql;     ///< PostgreSQL duration
  std::optional<int> lock_attempts;                ///< tries of a batch that meets a lock conflict
  std::optional<double> lock_retry_delay;          ///< seconds, the first pause between tries
  std::optional<std::string> out_of_order;         ///< "warn" or "refuse"
  /// Off a terminal, a rollback that deletes data needs --yes (else it warns and proceeds).
  std::optional<bool> require_yes;
  /// A rollback that deletes data needs a backup (--backup or backupBeforeRollback).
  std::optional<bool> require_backup;
};

/// One entry of `environments`.
struct Environment {
  std::optional<std::string> connection;  ///< libpq key=value string (from a URL or fields)
  Limits limits;
};

/// One entry of `fleets`: a name and exactly one way to list its targets.
struct Fleet {
  enum class Kind { databases, schemas, targets };
  Kind kind = Kind::targets;
  std::optional<std::string> connection;  ///< databases, schemas: where the listing query runs
  std::string query;                      ///< databases, schemas: one target per row, first column
  std::vector<std::string> targets;       ///< targets: connection strings, `${VAR}` expanded
  std::optional<unsigned> parallel_per_server;  ///< parallelPerServer: targets at once on one server
};

/// The whole file, validated, with `${VAR}` references expanded.
struct ProjectConfig {
  std::string path;                          ///< the file it was read from
  std::optional<std::string> directory;      ///< absolute: resolved against the file's folder
  std::optional<std::string> table_name;
  std::optional<std::string> schema_name;
  std::optional<std::string> extension;
  bool disable_transactions = false;         ///< knex's option: every migration runs alone
  std::optional<std::string> backup_before_rollback;  ///< pg_dump target before a rollback
  Limits limits;
  std::map<std::string, Environment> environments;
  std::map<std::string, Fleet> fleets;
};

/// The nearest `sonamu.config.json` from `start` upward, if any.
std::optional<std::string> find_config_file(const std::string& start);

/// Reads and validates `path`. `${VAR}` references are expanded in the `migrations` section
/// and in the environment `selected` and the fleet `fleet` only: another environment's or
/// fleet's secrets need not be set.
/// Throws sonamu::Error (usage) naming the file, the key path and what was expected, for
/// unreadable JSON, an unknown key, a wrong type or an unset `${VAR}`.
ProjectConfig load_config(const std::string& path, const EnvLookup& env,
                          const std::string& selected, const std::string& fleet = {});

}  // namespace sonamu::config
