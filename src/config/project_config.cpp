#include "config/project_config.hpp"

#include "conninfo/connection_target.hpp"
#include "core/duration.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <set>

namespace sonamu::config {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr const char* file_name = "sonamu.config.json";

/// Reads one file with every problem reported as "<file>: <key path>: <what was expected>".
class Reader {
 public:
  Reader(std::string path, const EnvLookup& env) : path_(std::move(path)), env_(env) {}

  /// Whether `${VAR}` references are expanded (and must be set) in what is read next.
  void set_expanding(bool expanding) { expanding_ = expanding; }

  [[noreturn]] void fail(const std::string& key_path, const std::string& problem) const {
    throw Error(ExitCode::usage, path_ + ": " + (key_path.empty() ? "" : key_path + ": ") + problem);
  }

  void only_keys(const json& object, const std::string& key_path,
                 const std::set<std::string>& allowed) const {
    if (!object.is_object()) fail(key_path, "expected an object");
    for (const auto& item : object.items()) {
      if (allowed.count(item.key()) == 0) {
        const std::vector<std::string> keys(allowed.begin(), allowed.end());
        fail(join(key_path, item.key()), "unknown key (expected one of: " + sonamu::join(keys) + ")");
      }
    }
  }

  /// A string, with every `${VAR}` replaced by the variable's value. In a connection string
  /// the value is made to stay one value whatever characters it holds: percent-encoded inside
  /// a URL (a password with `@`, `/` or `%` would otherwise end up in the host name, and in
  /// libpq's error message), quoted after `keyword=`.
  std::string string(const json& value, const std::string& key_path, bool connection = false) const {
    if (!value.is_string()) fail(key_path, "expected a string");
    static const std::regex reference(R"(\$\{([A-Za-z_][A-Za-z0-9_]*)\})");
    const std::string text = value.get<std::string>();
    if (!expanding_) return text;
    std::string expanded;
    auto begin = std::sregex_iterator(text.begin(), text.end(), reference);
    std::size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
      const std::string name = (*it)[1];
      const char* found = env_(name.c_str());
      if (found == nullptr) fail(key_path, "environment variable " + name + " is not set");
      expanded += text.substr(last, static_cast<std::size_t>(it->position()) - last);
      expanded += connection ? conninfo::connection_value(expanded, found) : std::string(found);
      last = static_cast<std::size_t>(it->position() + it->length());
    }
    return expanded + text.substr(last);
  }

  int integer(const json& value, const std::string& key_path, int low, int high) const {
    if (!value.is_number_integer()) fail(key_path, "expected an integer");
    const auto number = value.get<long long>();
    if (number < low || number > high) {
      fail(key_path, "expected an integer from " + std::to_string(low) + " to " + std::to_string(high));
    }
    return static_cast<int>(number);
  }

  /// Seconds from 0 to `high`: a value out of range is refused here, where the file and the
  /// key can still be named.
  double seconds(const json& value, const std::string& key_path, int high) const {
    const bool in_range = value.is_number() && value.get<double>() >= 0 && value.get<double>() <= high;
    if (!in_range) fail(key_path, "expected a number of seconds from 0 to " + std::to_string(high));
    return value.get<double>();
  }

  /// A PostgreSQL duration (30s, 5min) the server can hold. Not checked where `${VAR}` is
  /// left unexpanded: another environment's value is never used.
  std::string duration(const json& value, const std::string& key_path) const {
    std::string text = string(value, key_path);
    if (expanding_) {
      if (const std::string problem = duration_problem(text); !problem.empty()) fail(key_path, problem);
    }
    return text;
  }

  bool boolean(const json& value, const std::string& key_path) const {
    if (!value.is_boolean()) fail(key_path, "expected true or false");
    return value.get<bool>();
  }

  static std::string join(const std::string& key_path, const std::string& key) {
    return key_path.empty() ? key : key_path + "." + key;
  }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  const EnvLookup& env_;
  bool expanding_ = true;
};

const std::set<std::string> limit_keys = {"connectTimeout", "lockTimeout", "statementTimeout",
                                          "lockTimeoutSql", "requireYes", "requireBackup",
                                          "lockAttempts", "lockRetryDelay", "outOfOrder"};

/// Reads the limit keys present in `object` (others are checked by the caller).
Limits read_limits(const Reader& reader, const json& object, const std::string& key_path) {
  Limits limits;
  if (object.contains("connectTimeout")) {
    limits.connect_timeout = reader.integer(object["connectTimeout"], Reader::join(key_path, "connectTimeout"), 1, 3600);
  }
  if (object.contains("lockTimeout")) {
    // The migration lock's wait is also PostgreSQL's lock_timeout: at most 2147483647 ms.
    limits.lock_timeout = reader.seconds(object["lockTimeout"], Reader::join(key_path, "lockTimeout"), 2147483);
  }
  if (object.contains("statementTimeout")) {
    limits.statement_timeout = reader.duration(object["statementTimeout"], Reader::join(key_path, "statementTimeout"));
  }
  if (object.contains("lockTimeoutSql")) {
    limits.lock_timeout_sql = reader.duration(object["lockTimeoutSql"], Reader::join(key_path, "lockTimeoutSql"));
  }
  if (object.contains("lockAttempts")) {
    limits.lock_attempts = reader.integer(object["lockAttempts"], Reader::join(key_path, "lockAttempts"), 1, 100);
  }
  if (object.contains("lockRetryDelay")) {
    limits.lock_retry_delay = reader.seconds(object["lockRetryDelay"], Reader::join(key_path, "lockRetryDelay"), 3600);
  }
  if (object.contains("outOfOrder")) {
    const auto path = Reader::join(key_path, "outOfOrder");
    limits.out_of_order = reader.string(object["outOfOrder"], path);
    if (*limits.out_of_order != "warn" && *limits.out_of_order != "refuse") {
      reader.fail(path, "expected \"warn\" or \"refuse\"");
    }
  }
  if (object.contains("requireYes")) {
    limits.require_yes = reader.boolean(object["requireYes"], Reader::join(key_path, "requireYes"));
  }
  if (object.contains("requireBackup")) {
    limits.require_backup = reader.boolean(object["requireBackup"], Reader::join(key_path, "requireBackup"));
  }
  return limits;
}

/// A connection given as a URL (or key=value string), or as fields.
std::string read_connection(const Reader& reader, const json& value, const std::string& key_path) {
  if (value.is_string()) return reader.string(value, key_path, true);
  if (!value.is_object()) {
    reader.fail(key_path,
                "expected a URL string or an object with host, port, user, password, database, sslmode");
  }
  reader.only_keys(value, key_path, {"host", "port", "user", "password", "database", "sslmode"});
  std::map<std::string, std::string> fields;
  const std::pair<const char*, const char*> names[] = {
      {"host", "host"}, {"user", "user"}, {"password", "password"}, {"database", "dbname"}, {"sslmode", "sslmode"}};
  for (const auto& [key, keyword] : names) {
    if (value.contains(key)) fields[keyword] = reader.string(value[key], Reader::join(key_path, key));
  }
  if (value.contains("port")) {
    const auto& port = value["port"];
    fields["port"] = port.is_string() ? reader.string(port, Reader::join(key_path, "port"))
                                      : std::to_string(reader.integer(port, Reader::join(key_path, "port"), 1, 65535));
  }
  return conninfo::conninfo_from_fields(fields);
}

/// One fleet: a name and exactly one of `databases`, `schemas` (each with `connection`) or
/// `targets`.
Fleet read_fleet(Reader& reader, const json& value, const std::string& key_path) {
  reader.only_keys(value, key_path, {"connection", "databases", "schemas", "targets", "parallelPerServer"});
  Fleet fleet;
  if (value.contains("parallelPerServer")) {
    fleet.parallel_per_server = static_cast<unsigned>(
        reader.integer(value["parallelPerServer"], Reader::join(key_path, "parallelPerServer"), 1, 64));
  }
  const int kinds = static_cast<int>(value.contains("databases")) + static_cast<int>(value.contains("schemas")) +
                    static_cast<int>(value.contains("targets"));
  if (kinds != 1) reader.fail(key_path, "expected exactly one of databases, schemas or targets");
  if (value.contains("targets")) {
    if (value.contains("connection")) {
      reader.fail(Reader::join(key_path, "connection"), "not allowed with targets (each target is a connection)");
    }
    fleet.kind = Fleet::Kind::targets;
    const json& targets = value["targets"];
    if (!targets.is_array() || targets.empty()) {
      reader.fail(Reader::join(key_path, "targets"), "expected a non-empty array of connection strings");
    }
    for (std::size_t i = 0; i < targets.size(); ++i) {
      fleet.targets.push_back(
          reader.string(targets[i], Reader::join(key_path, "targets") + "[" + std::to_string(i) + "]", true));
    }
    return fleet;
  }
  const char* key = value.contains("databases") ? "databases" : "schemas";
  fleet.kind = value.contains("databases") ? Fleet::Kind::databases : Fleet::Kind::schemas;
  if (!value.contains("connection")) {
    reader.fail(Reader::join(key_path, "connection"), std::string("missing (the database where the ") + key +
                                                          " query runs)");
  }
  fleet.connection = read_connection(reader, value["connection"], Reader::join(key_path, "connection"));
  fleet.query = reader.string(value[key], Reader::join(key_path, key));
  if (fleet.query.find_first_not_of(" \t\n") == std::string::npos) {
    reader.fail(Reader::join(key_path, key), "expected a SELECT query returning one name per row");
  }
  return fleet;
}

/// The "migrations" section: where the migrations and the bookkeeping are, and the limits
/// every environment starts from.
void read_migrations(Reader& reader, const json& migrations, ProjectConfig& config) {
  std::set<std::string> allowed = {"directory", "tableName", "schemaName", "extension",
                                   "disableTransactions", "backupBeforeRollback"};
  allowed.insert(limit_keys.begin(), limit_keys.end());
  reader.only_keys(migrations, "migrations", allowed);
  // Paths in the file are relative to the file's folder, wherever the command runs.
  const fs::path folder = fs::absolute(config.path).parent_path();
  if (migrations.contains("directory")) {
    const fs::path directory = reader.string(migrations["directory"], "migrations.directory");
    config.directory = (folder / directory).lexically_normal().string();
  }
  if (migrations.contains("tableName")) config.table_name = reader.string(migrations["tableName"], "migrations.tableName");
  if (migrations.contains("schemaName")) config.schema_name = reader.string(migrations["schemaName"], "migrations.schemaName");
  if (migrations.contains("extension")) config.extension = reader.string(migrations["extension"], "migrations.extension");
  if (migrations.contains("disableTransactions")) {
    config.disable_transactions = reader.boolean(migrations["disableTransactions"], "migrations.disableTransactions");
  }
  if (migrations.contains("backupBeforeRollback")) {
    const fs::path backup = reader.string(migrations["backupBeforeRollback"], "migrations.backupBeforeRollback");
    // Empty, it would name the config file's folder: never a backup target.
    if (backup.empty()) reader.fail("migrations.backupBeforeRollback", "expected a file name, not an empty string");
    config.backup_before_rollback = (folder / backup).lexically_normal().string();
  }
  config.limits = read_limits(reader, migrations, "migrations");
}

/// The "environments" section; only `selected`'s values have their ${VARIABLES} expanded.
void read_environments(Reader& reader, const json& environments, const std::string& selected, ProjectConfig& config) {
  if (!environments.is_object()) reader.fail("environments", "expected an object of environment names");
  for (const auto& item : environments.items()) {
    const std::string key_path = "environments." + item.key();
    std::set<std::string> allowed = {"connection"};
    allowed.insert(limit_keys.begin(), limit_keys.end());
    reader.only_keys(item.value(), key_path, allowed);
    reader.set_expanding(item.key() == selected);
    Environment environment;
    if (item.value().contains("connection")) {
      environment.connection = read_connection(reader, item.value()["connection"], key_path + ".connection");
    }
    environment.limits = read_limits(reader, item.value(), key_path);
    config.environments[item.key()] = std::move(environment);
  }
}

}  // namespace

std::optional<std::string> find_config_file(const std::string& start) {
  std::error_code ec;
  for (fs::path dir = fs::absolute(start, ec); !dir.empty(); dir = dir.parent_path()) {
    const fs::path candidate = dir / file_name;
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
    if (dir == dir.parent_path()) break;
  }
  return std::nullopt;
}

ProjectConfig load_config(const std::string& path, const EnvLookup& env,
                          const std::string& selected, const std::string& fleet) {
  Reader reader(path, env);
  std::ifstream file(path);
  if (!file) reader.fail("", "cannot be read");
  json document;
  try {
    document = json::parse(file);
  } catch (const json::exception& e) {
    // A syntax error, or a number no double holds (1e400): either way the file is named.
    reader.fail("", std::string("is not valid JSON (") + e.what() + ")");
  }
  reader.only_keys(document, "", {"$schema", "migrations", "environments", "fleets"});

  ProjectConfig config;
  config.path = path;
  if (document.contains("migrations")) read_migrations(reader, document["migrations"], config);
  if (document.contains("environments")) read_environments(reader, document["environments"], selected, config);
  if (document.contains("fleets")) {
    const json& fleets = document["fleets"];
    if (!fleets.is_object()) reader.fail("fleets", "expected an object of fleet names");
    for (const auto& item : fleets.items()) {
      reader.set_expanding(item.key() == fleet);
      config.fleets[item.key()] = read_fleet(reader, item.value(), "fleets." + item.key());
    }
  }
  return config;
}

}  // namespace sonamu::config
