#include "conninfo/connection_target.hpp"

#include "conninfo/postgres_url.hpp"
#include "core/error.hpp"

#include <libpq-fe.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <regex>

namespace sonamu::conninfo {

namespace {

constexpr const char* development_database = "sonamu_dev";
constexpr const char* development_user = "sonamu";
constexpr const char* development_port = "5432";

using Options = std::map<std::string, std::string>;

struct ConninfoDeleter {
  void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
};
using ConninfoPtr = std::unique_ptr<PQconninfoOption, ConninfoDeleter>;

Options to_map(const PQconninfoOption* options) {
  Options map;
  for (auto* option = options; option && option->keyword; ++option) {
    if (option->val && *option->val) map[option->keyword] = option->val;
  }
  return map;
}

std::string quote_value(const std::string& value) {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

std::string to_conninfo(const Options& options) {
  std::string text;
  for (const auto& [key, value] : options) {
    if (!text.empty()) text += ' ';
    text += key + "=" + quote_value(value);
  }
  return text;
}

/// libpq's complaint about `text`, with the pieces of `text` it quotes hidden when `text` may
/// hold a password: the piece may be part of it (an unencoded `%`, `@` or `/` in a URL).
std::string hide_quoted(const std::string& reason, const std::string& text) {
  static const std::regex may_hold_password(R"(://[^/?#\s]*:|password)", std::regex::icase);
  if (!std::regex_search(text, may_hold_password)) return redact_passwords(reason);
  // From the first quote to the last: the password itself may hold a quote.
  static const std::regex quoted(R"("[\s\S]*")");
  return std::regex_replace(redact_passwords(reason), quoted, "\"***\"");
}

/// libpq's reading of a key=value string (the keywords it knows, values unquoted).
Options parse_keywords(const std::string& text, const std::string& origin) {
  char* error = nullptr;
  ConninfoPtr parsed(PQconninfoParse(text.c_str(), &error));
  if (!parsed) {
    std::string reason = error ? error : "out of memory";
    if (error) PQfreemem(error);
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
    throw Error(ExitCode::usage, "Invalid connection string in " + origin + ": " + hide_quoted(reason, text));
  }
  return to_map(parsed.get());
}

/// libpq only checks a port when connecting, and would report a typo as a connection
/// failure: it is bad input, and says so before any connection is tried. One port per host,
/// separated by commas; each from 1 to 65535.
void check_ports(const std::string& ports, const std::string& origin) {
  if (ports.find_first_not_of("0123456789,") != std::string::npos) {
    throw Error(ExitCode::usage, "Invalid connection string in " + origin + ": port \"" + ports +
                                     "\" is not a number");
  }
  std::size_t start = 0;
  for (;;) {
    const auto end = ports.find(',', start);
    const std::string one = ports.substr(start, end == std::string::npos ? end : end - start);
    if (!one.empty() && (one.size() > 5 || std::stol(one) < 1 || std::stol(one) > 65535)) {
      throw Error(ExitCode::usage, "Invalid connection string in " + origin + ": port \"" + one +
                                       "\" is not between 1 and 65535");
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
}

/// A host that can be no server's name is never handed to the resolver.
void check_host(const std::string& host, const std::string& origin) {
  if (!is_host_list(host)) {
    throw Error(ExitCode::usage, "Invalid connection string in " + origin + ": host \"" + host +
                                     "\" is not a host name, an IP address or a socket folder");
  }
}

/// Parses a URL as knex does, or a key=value string as libpq does; either way libpq checks
/// the keywords.
Options parse_conninfo(const std::string& text, const std::string& origin) {
  Options options;
  if (is_postgres_url(text)) {
    // libpq checks the keywords without the password, so that its complaint about an unknown
    // parameter can name it.
    Options url = parse_postgres_url(text, origin);
    const auto password = url.find("password");
    std::optional<std::string> secret;
    if (password != url.end()) secret = password->second, url.erase(password);
    options = parse_keywords(to_conninfo(url), origin);
    if (secret) options["password"] = *secret;
  } else {
    options = parse_keywords(text, origin);
  }
  if (const auto port = options.find("port"); port != options.end()) check_ports(port->second, origin);
  if (const auto host = options.find("host"); host != options.end()) check_host(host->second, origin);
  return options;
}

/// The PG* variables libpq falls back on, checked as a connection string's own values are.
void check_variables(const Options& options, const EnvLookup& env) {
  const char* port = env("PGPORT");
  if (options.count("port") == 0 && port != nullptr && *port != '\0') check_ports(port, "PGPORT");
  const char* host = env("PGHOST");
  if (options.count("host") == 0 && host != nullptr && *host != '\0') check_host(host, "PGHOST");
}

/// host:port/database as libpq will resolve it (given options, then PG* variables, then
/// libpq's built-in defaults), into `target`.
void describe(const Options& options, ConnectionTarget& target) {
  ConninfoPtr defaults(PQconndefaults());
  Options effective = defaults ? to_map(defaults.get()) : Options{};
  for (const auto& [key, value] : options) effective[key] = value;
  auto get = [&](const char* key) {
    const auto it = effective.find(key);
    return it == effective.end() ? std::string() : it->second;
  };
  std::string host = get("host");
  if (host.empty()) host = get("hostaddr");
  if (host.empty()) host = "/var/run/postgresql";
  std::string port = get("port");
  if (port.empty()) port = "5432";
  std::string database = get("dbname");
  if (database.empty()) database = get("user");
  target.server = host + ":" + port;
  target.description = target.server + "/" + database;
}

bool any_pg_variable(const EnvLookup& env) {
  for (const char* name : {"PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE"}) {
    const char* value = env(name);
    if (value && *value) return true;
  }
  return false;
}

}  // namespace

std::string connection_value(const std::string& before, const std::string& value) {
  if (before.find("://") != std::string::npos) return percent_encode(value);
  if (!before.empty() && before.back() == '=') return quote_value(value);
  return value;
}

std::string conninfo_from_fields(const std::map<std::string, std::string>& fields) {
  return to_conninfo(fields);
}

std::string development_socket_dir(const std::string& start) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (fs::path dir = fs::absolute(start, ec); !dir.empty(); dir = dir.parent_path()) {
    const fs::path candidate = dir / ".sonamu" / "run";
    if (fs::is_directory(candidate, ec)) return candidate.string();
    if (dir == dir.parent_path()) break;
  }
  return (fs::path(start) / ".sonamu" / "run").string();
}

ConnectionTarget resolve_connection(const ConnectionRequest& request, const EnvLookup& env) {
  ConnectionTarget target;
  Options options;
  const char* database_url = env("DATABASE_URL");
  if (request.connection) {
    // An empty string would silently mean libpq's defaults, not the configured database.
    if (request.connection->find_first_not_of(" \t\n") == std::string::npos) {
      throw Error(ExitCode::usage, "Invalid connection string in " + request.connection_source + ": it is empty");
    }
    target.source = request.connection_source;
    options = parse_conninfo(*request.connection, request.connection_source);
  } else if (database_url && *database_url) {
    target.source = "DATABASE_URL";
    options = parse_conninfo(database_url, "DATABASE_URL");
  } else if (request.configured) {
    target.source = request.configured_source;
    options = parse_conninfo(*request.configured, request.configured_source);
  } else if (any_pg_variable(env)) {
    target.source = "PG* variables";  // libpq reads them itself
  } else {
    target.source = "development";
    options["host"] = development_socket_dir(request.working_directory);
    options["port"] = development_port;
    options["dbname"] = development_database;
    options["user"] = development_user;
  }
  check_variables(options, env);
  options["connect_timeout"] = std::to_string(request.connect_timeout_seconds);
  if (options.count("application_name") == 0) options["fallback_application_name"] = "sonamu-migrate";
  target.conninfo = to_conninfo(options);
  target.connect_timeout_seconds = request.connect_timeout_seconds;
  describe(options, target);
  return target;
}

ConnectionTarget with_database(const ConnectionTarget& base, const std::string& database) {
  Options options = parse_conninfo(base.conninfo, base.source);
  options["dbname"] = database;
  ConnectionTarget target = base;
  target.conninfo = to_conninfo(options);
  describe(options, target);
  return target;
}

std::string redact_passwords(const std::string& text) {
  // Up to the last `@` of the word: an unencoded password may hold `@` and `/` itself.
  static const std::regex url_password(R"(([A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*):\S*@)");
  static const std::regex keyword_password(R"((password\s*=\s*)('([^'\\]|\\.)*'|[^\s&]*))",
                                           std::regex::icase);
  std::string redacted = std::regex_replace(text, url_password, "$1:***@");
  return std::regex_replace(redacted, keyword_password, "$1***");
}

}  // namespace sonamu::conninfo
