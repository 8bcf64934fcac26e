#pragma once
/// Which server to talk to: `--connection`, else DATABASE_URL, else the libpq PG* variables,
/// else the project's local development database.

#include "core/env_lookup.hpp"

#include <map>
#include <optional>
#include <string>

namespace sonamu::conninfo {

/// What the command line says about the connection.
struct ConnectionRequest {
  std::optional<std::string> connection;  ///< --connection / -c: a URL or key=value string
  std::string connection_source = "--connection";  ///< how errors name `connection`
  std::optional<std::string> configured;  ///< the config file's connection for the environment
  std::string configured_source;          ///< how to name it, e.g. "sonamu.config.json (production)"
  int connect_timeout_seconds = 10;       ///< --connect-timeout
  std::string working_directory;          ///< where to look for the development database
};

/// A resolved connection: what to pass to libpq and how to name it to the operator.
struct ConnectionTarget {
  std::string conninfo;     ///< key=value form, with connect_timeout and application name
  std::string description;  ///< host:port/database, never a password
  std::string server;       ///< host:port: what a fleet's targets on one server share
  int connect_timeout_seconds = 10;
  std::string source;       ///< "--connection", "DATABASE_URL", "PG* variables", or "development"
};

/// Resolves the connection. Throws sonamu::Error (usage) for a malformed URL or string;
/// the message never contains a password.
ConnectionTarget resolve_connection(const ConnectionRequest& request, const EnvLookup& env);

/// `base` with its database replaced by `database`: same server, same credentials. For the
/// targets of a fleet listed by database name.
ConnectionTarget with_database(const ConnectionTarget& base, const std::string& database);

/// The value of a `${VAR}` placed after `before` in a connection string, made to stay one
/// value whatever characters it holds: percent-encoded anywhere after a URL's `://` (a
/// password with `@`, `/` or `%` would otherwise end up in the host name), quoted after a
/// `keyword=`, else as it is (the whole connection string, or part of a word).
std::string connection_value(const std::string& before, const std::string& value);

/// A key=value connection string from separate fields (libpq keywords), values quoted.
std::string conninfo_from_fields(const std::map<std::string, std::string>& fields);

/// The folder holding the development server's socket: `.sonamu/run` in the nearest folder,
/// from `start` upward, that has one; else `start/.sonamu/run`.
std::string development_socket_dir(const std::string& start);

/// `text` with every password replaced by `***`: in URLs (`user:secret@`), in key=value
/// strings (`password=secret`) and in `?password=` parameters.
std::string redact_passwords(const std::string& text);

}  // namespace sonamu::conninfo
