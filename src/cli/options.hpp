#pragma once
/// What the command line says, before configuration and defaults are applied.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace sonamu::cli {

/// Parsed flags. Settings that a config file may also give are optional, so that
/// "given on the command line" can win over the file, and the file over the defaults.
struct Options {
  std::string command;  ///< run, up, rollback, down, status, make, unlock, forget, mark
  std::optional<std::string> config;
  std::optional<std::string> env;
  std::optional<std::string> connection;
  std::optional<int> connect_timeout;
  std::optional<double> lock_timeout;
  std::optional<std::string> statement_timeout;
  std::optional<std::string> sql_lock_timeout;
  std::optional<int> lock_attempts;
  std::optional<double> lock_retry_delay;
  std::optional<std::string> table;
  std::optional<std::string> schema;
  std::optional<std::string> extension;
  std::optional<std::string> migrations_dir;
  bool verbose = false;
  bool debug = false;
  bool quiet = false;
  bool json = false;
  bool no_color = false;
  bool check = false;
  std::optional<std::string> to;
  bool all = false;
  bool force = false;
  /// verify's --force: run in production too (apart from `force`, which would let verify's
  /// downs skip an irreversible migration's down).
  bool verify_in_production = false;
  bool yes = false;
  bool sql = false;  ///< make: a SQL migration instead of a C++ one
  std::string name;
  bool dry_run = false;
  std::optional<int> step;
  std::optional<std::string> backup;
  bool replace_backup = false;  ///< --backup may replace an existing file
  int limit = 20;
  std::optional<std::string> fleet;  ///< --fleet NAME: every target of this fleet
  unsigned parallel = 4;             ///< --parallel N: fleet targets at once
  std::optional<unsigned> parallel_per_server;  ///< --parallel-per-server N: at once on one server
  std::size_t canary = 0;            ///< --canary K: the first K targets alone, first
  bool fail_fast = false;            ///< --fail-fast: the first failed target stops the fleet
  std::optional<std::string> shard;  ///< --shard K/N: this runner's share of the targets
  bool resume = false;               ///< --resume: only the targets the last run left undone
  std::optional<std::string> state;  ///< --state FILE: the fleet's state file
  std::vector<std::string> files;    ///< fleet-report: the shards' JSON documents
  bool rollback = false;                   ///< lint: the downs of what `rollback` would revert
  std::string fail_on = "never";           ///< lint: "warning" makes warnings exit 1
  std::optional<long long> large_table_bytes;  ///< lint: from this size a table is large
  std::vector<std::string> disabled_rules;  ///< lint: rules left out
  std::optional<std::string> schema_file;   ///< schema: --file PATH
  std::optional<std::string> schema_check;  ///< schema: --check PATH
  std::string folder = ".";                 ///< init: the project's folder
  std::optional<std::string> executable;    ///< init: --name, the executable's name
};

}  // namespace sonamu::cli
