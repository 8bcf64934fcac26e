#pragma once
/// Opening the connection, with failures turned into one line for the operator.

#include "conninfo/connection_target.hpp"

#include <pqxx/connection>

#include <memory>

namespace sonamu::pg {

/// Connects to `target`. Throws sonamu::Error (connection) with one line naming
/// host:port/database and libpq's reason, never a password.
std::unique_ptr<pqxx::connection> connect(const conninfo::ConnectionTarget& target);

/// libpq's multi-line message reduced to its first meaningful line, without the
/// "connection to server ... failed:" preamble and severity prefixes, passwords redacted.
std::string one_line_reason(const std::string& message);

}  // namespace sonamu::pg
