#pragma once
/// Opening the connection, with failures turned into one line for the operator.

#include "conninfo/connection_target.hpp"
#include "core/error.hpp"

#include <pqxx/connection>

#include <memory>
#include <string>
#include <utility>

namespace sonamu::pg {

/// Thrown by connect() when the server turns the connection away for now, so that a retry may
/// succeed: no connection slot free (SQLSTATE 53300: too many clients, too many connections
/// for a role or a database, the last slots reserved) or still starting up (57P03).
class ServerBusy : public Error {
 public:
  ServerBusy(const std::string& message, std::string reason)
      : Error(ExitCode::connection, message), reason_(std::move(reason)) {}
  /// The server's words, e.g. "sorry, too many clients already".
  const std::string& reason() const { return reason_; }

 private:
  std::string reason_;
};

/// Connects to `target`. Throws sonamu::Error (connection) with one line naming
/// host:port/database and libpq's reason, never a password.
std::unique_ptr<pqxx::connection> connect(const conninfo::ConnectionTarget& target);

/// libpq's multi-line message reduced to its first meaningful line, without the
/// "connection to server ... failed:" preamble and severity prefixes, passwords redacted.
std::string one_line_reason(const std::string& message);

}  // namespace sonamu::pg
