#pragma once
/// Applies the documented precedence: command-line flags > DATABASE_URL > the config file's
/// environment > PG* variables > the local development database (for the connection), and
/// flags > environment > `migrations` section > defaults (for everything else).

#include "cli/options.hpp"
#include "config/project_config.hpp"
#include "engine/migrator.hpp"
#include "conninfo/connection_target.hpp"

#include <optional>
#include <string>

namespace sonamu::cli {

/// Everything a command needs, resolved.
struct Settings {
  std::string environment;                ///< --env, else NODE_ENV, else development
  std::optional<std::string> config_path; ///< the file used, if any
  std::string migrations_dir;
  /// Named by --migrations-dir or the config file, rather than the default "migrations".
  bool migrations_dir_named = false;
  conninfo::ConnectionRequest connection;
  MigratorSettings migrator;
  std::optional<std::string> backup;      ///< pg_dump target before a rollback
  bool require_yes = false;     ///< off a terminal, data loss needs --yes
  bool require_backup = false;  ///< data loss needs a backup
  std::optional<config::Fleet> fleet;  ///< --fleet: the fleet's definition
};

/// Resolves `options` against the config file (`--config`, else the nearest
/// sonamu.config.json above `working_directory`) and the environment variables.
/// Throws sonamu::Error (usage) for a bad file, a missing environment or a bad duration.
Settings resolve_settings(const Options& options, const std::string& working_directory,
                          const EnvLookup& env);

}  // namespace sonamu::cli
