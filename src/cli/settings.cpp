#include "cli/settings.hpp"

#include "cli/command_table.hpp"
#include "cli/table_names.hpp"

#include "config/project_config.hpp"
#include "core/environment_name.hpp"
#include "core/duration.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

#include <cmath>
#include <algorithm>

namespace sonamu::cli {

namespace {

template <typename T>
std::optional<T> first(const std::optional<T>& a, const std::optional<T>& b,
                       const std::optional<T>& c = std::nullopt) {
  if (a) return a;
  if (b) return b;
  return c;
}

/// PostgreSQL keeps its timeouts in milliseconds, in an int.
constexpr double max_timeout_ms = 2147483647.0;

void require_duration(const std::optional<std::string>& value, const std::string& what) {
  if (!value) return;
  if (const std::string problem = duration_problem(*value); !problem.empty()) {
    throw Error(ExitCode::usage, "Invalid " + what + " '" + *value + "': " + problem);
  }
}

/// Seconds to wait for the migration lock: a number PostgreSQL's lock_timeout can hold too.
double require_lock_wait(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0 || seconds * 1000.0 > max_timeout_ms) {
    throw Error(ExitCode::usage, "Invalid lock timeout '" + std::to_string(seconds) +
                                     "': expected seconds from 0 to 2147483");
  }
  return seconds;
}

std::string normalised_extension(const std::string& extension) {
  if (extension.empty() || extension.front() == '.') return extension;
  return "." + extension;
}

/// The fleet `name` of the configuration file; refuses what makes no sense with a fleet.
config::Fleet fleet_named(const std::optional<config::ProjectConfig>& file, const std::string& name,
                          const Options& options) {
  if (options.connection) {
    throw Error(ExitCode::usage, "--fleet and --connection exclude each other: the fleet lists its own targets");
  }
  if (options.backup) {
    throw Error(ExitCode::usage, "--backup takes one database: back up a fleet's databases before, one by one");
  }
  if (!file) throw Error(ExitCode::usage, "--fleet " + name + ": no sonamu.config.json found (fleets are defined there)");
  const auto it = file->fleets.find(name);
  if (it == file->fleets.end()) {
    std::vector<std::string> defined;
    for (const auto& [fleet, value] : file->fleets) defined.push_back(fleet);
    throw Error(ExitCode::usage, file->path + ": fleets." + name + ": missing (fleets defined: " +
                                     (defined.empty() ? std::string("none") : join(defined)) + ")");
  }
  return it->second;
}

/// Whether `name` is guarded as production: `production` in any case, or a near spelling
/// (prod, prd, production-eu: see environment_kind) that the configuration file defines. A
/// near spelling it does not define is refused: a typo must not turn the guards off.
bool is_production(const std::string& name, const std::optional<config::ProjectConfig>& file) {
  const EnvironmentKind kind = environment_kind(name);
  if (kind != EnvironmentKind::near_production) return kind == EnvironmentKind::production;
  if (file && file->environments.count(name) != 0) return true;
  throw Error(ExitCode::usage, "Unknown environment '" + name +
                                   "': a name whose first word is prod, prd or production is production only as "
                                   "'production' (any case) or when sonamu.config.json defines it in environments");
}

/// The configuration file named by --config, else the one found from the working directory.
std::optional<config::ProjectConfig> load_project_file(const Options& options, const std::string& working_directory,
                                                       const EnvLookup& env, const std::string& environment) {
  if (options.config) {
    return config::load_config(*options.config, env, environment, options.fleet.value_or(""));
  }
  if (const auto found = config::find_config_file(working_directory)) {
    return config::load_config(*found, env, environment, options.fleet.value_or(""));
  }
  return std::nullopt;
}

/// The file's section for `environment`; none when the file defines no environments.
config::Environment environment_of(const std::optional<config::ProjectConfig>& file, const std::string& environment) {
  if (!file || file->environments.empty()) return {};
  const auto it = file->environments.find(environment);
  if (it == file->environments.end()) {
    std::vector<std::string> defined;
    for (const auto& [name, value] : file->environments) defined.push_back(name);
    throw Error(ExitCode::usage, file->path + ": environments." + environment +
                                     ": missing (environments defined: " + join(defined) + ")");
  }
  return it->second;
}

/// Where the migrations and the bookkeeping are, and how names are written.
void resolve_layout(Settings& settings, const Options& options, const std::optional<config::ProjectConfig>& file) {
  const auto named_dir = first(options.migrations_dir, file ? file->directory : std::nullopt);
  settings.migrations_dir = named_dir.value_or("migrations");
  settings.migrations_dir_named = named_dir.has_value();
  auto& migrator = settings.migrator;
  migrator.location.table = first(options.table, file ? file->table_name : std::nullopt).value_or("knex_migrations");
  migrator.location.schema = first(options.schema, file ? file->schema_name : std::nullopt).value_or("public");
  check_table_names(migrator.location);
  migrator.extension =
      normalised_extension(first(options.extension, file ? file->extension : std::nullopt).value_or(""));
  migrator.disable_transactions = file && file->disable_transactions;
}

/// The waits and limits: option first, then the environment's, then the file's defaults.
void resolve_limits(MigratorSettings& migrator, const Options& options, const config::Limits& environment,
                    const config::Limits& defaults) {
  const double lock_seconds =
      require_lock_wait(first(options.lock_timeout, environment.lock_timeout, defaults.lock_timeout).value_or(60.0));
  migrator.lock_timeout = std::chrono::milliseconds(static_cast<long long>(lock_seconds * 1000));
  migrator.limits.statement_timeout =
      first(options.statement_timeout, environment.statement_timeout, defaults.statement_timeout);
  // Unset, the default (a few seconds) is applied once the command is known: a dry run has
  // its own.
  migrator.limits.lock_timeout = first(options.sql_lock_timeout, environment.lock_timeout_sql, defaults.lock_timeout_sql);
  migrator.retry.attempts = first(options.lock_attempts, environment.lock_attempts, defaults.lock_attempts).value_or(5);
  const double retry_seconds =
      first(options.lock_retry_delay, environment.lock_retry_delay, defaults.lock_retry_delay).value_or(1.0);
  if (!(retry_seconds >= 0 && retry_seconds <= 3600)) {  // NaN included
    throw Error(ExitCode::usage, "Invalid lock retry delay: expected 0 to 3600 seconds");
  }
  migrator.retry.first_delay = std::chrono::milliseconds(static_cast<long long>(retry_seconds * 1000));
  migrator.retry.max_delay = std::max(migrator.retry.first_delay, std::chrono::milliseconds(30000));
  if (first(environment.out_of_order, defaults.out_of_order).value_or("warn") == "refuse") {
    migrator.out_of_order = OutOfOrderPolicy::refuse;
  }
  require_duration(migrator.limits.statement_timeout, "statement timeout");
  require_duration(migrator.limits.lock_timeout, "SQL lock timeout");
}

/// The rollback's guards: backup, --yes and backup requirements, and where counting stops.
void resolve_guards(Settings& settings, const Options& options, const std::optional<config::ProjectConfig>& file,
                    const config::Limits& environment, const config::Limits& defaults, const EnvLookup& env) {
  settings.backup = first(options.backup, file ? file->backup_before_rollback : std::nullopt);
  settings.require_yes = first(environment.require_yes, defaults.require_yes).value_or(false);
  settings.require_backup = first(environment.require_backup, defaults.require_backup).value_or(false);
  if (const char* limit = env("SONAMU_EXACT_COUNT_BYTES"); limit && *limit) {
    // Tables up to this size have the data a rollback deletes counted exactly.
    try {
      settings.migrator.exact_count_bytes = std::stoll(limit);
    } catch (const std::exception&) {
      throw Error(ExitCode::usage,
                  std::string("Invalid SONAMU_EXACT_COUNT_BYTES '") + limit + "': expected a number of bytes");
    }
  }
}

}  // namespace

Settings resolve_settings(const Options& options, const std::string& working_directory, const EnvLookup& env) {
  Settings settings;
  const char* node_env = env("NODE_ENV");
  const std::string named = canonical_environment(options.env.value_or(""));
  const std::string from_node_env = canonical_environment(node_env != nullptr ? node_env : "");
  settings.environment = !named.empty() ? named : !from_node_env.empty() ? from_node_env : "development";

  // A command that does not connect (make, init) needs no connection: the environment's
  // `${VAR}` references are left unexpanded, so an unset DATABASE_URL does not stop it.
  const Command* command = find_command(options.command);
  const bool connects_to_database = command == nullptr || (command->traits & connects) != 0;
  const auto file =
      load_project_file(options, working_directory, env, connects_to_database ? settings.environment : "");
  if (options.fleet) settings.fleet = fleet_named(file, *options.fleet, options);
  const config::Environment environment = environment_of(file, settings.environment);
  const config::Limits defaults = file ? file->limits : config::Limits{};
  if (file) settings.config_path = file->path;
  settings.migrator.production = is_production(settings.environment, file);
  resolve_layout(settings, options, file);
  resolve_limits(settings.migrator, options, environment.limits, defaults);
  resolve_guards(settings, options, file, environment.limits, defaults, env);

  auto& connection = settings.connection;
  connection.connection = options.connection;
  connection.connect_timeout_seconds =
      first(options.connect_timeout, environment.limits.connect_timeout, defaults.connect_timeout).value_or(10);
  connection.working_directory = working_directory;
  if (file && environment.connection) {
    connection.configured = environment.connection;
    connection.configured_source = file->path + " (" + settings.environment + ")";
  }
  return settings;
}

}  // namespace sonamu::cli
