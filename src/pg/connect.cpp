#include "pg/connect.hpp"

#include "core/error.hpp"

#include <pqxx/except>
#include <pqxx/nontransaction>

#include <filesystem>
#include <system_error>

namespace sonamu::pg {

namespace {

std::string trim(std::string text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

void strip_prefix(std::string& text, const std::string& prefix) {
  if (text.compare(0, prefix.size(), prefix) == 0) text = trim(text.substr(prefix.size()));
}

}  // namespace

std::string one_line_reason(const std::string& message) {
  std::string line = trim(message.substr(0, message.find('\n')));
  // "connection to server at "h" (addr), port 5432 failed: <reason>": the target is named
  // by our own message already.
  if (line.rfind("connection to server", 0) == 0) {
    const auto failed = line.find(" failed: ");
    if (failed != std::string::npos) line = trim(line.substr(failed + 9));
  }
  for (const char* severity : {"FATAL:", "ERROR:"}) strip_prefix(line, severity);
  if (line.empty()) line = "unknown error";
  return conninfo::redact_passwords(line);
}

namespace {

/// libpq's and libpqxx's ways of saying that the other end went away during start-up, which
/// depend on the exact moment it did ("server closed the connection unexpectedly", "Could not
/// obtain client encoding", libpqxx's bare "Connection to database failed", a reset or a broken
/// pipe): one plain reason for them all.
std::string setup_reason(const std::string& message) {
  for (const char* vanished : {"closed the connection", "client encoding", "Connection to database failed",
                               "Connection reset", "Broken pipe", "no connection to the server", "Lost connection",
                               "EOF detected"}) {
    if (message.find(vanished) != std::string::npos) return "the server closed the connection";
  }
  return one_line_reason(message);
}

/// Whether the server turned the connection away for now, by its words (a connection refused
/// at start-up carries no SQLSTATE that libpq passes on).
bool turned_away_for_now(const std::string& reason) {
  for (const char* busy : {"too many clients", "too many connections for", "connection slots are reserved",
                           "the database system is starting up", "not yet accepting connections"}) {
    if (reason.find(busy) != std::string::npos) return true;
  }
  return false;
}

/// Why the development database was tried, and what to do: only a project that has one (its
/// socket folder, made by scripts/dev-db.sh of this repository) is told to start it.
std::string development_hint(const conninfo::ConnectionTarget& target) {
  const std::string folder = target.server.substr(0, target.server.rfind(':'));
  std::error_code ec;
  if (std::filesystem::is_directory(folder, ec)) {
    return " (no connection is configured, so this project's development database was tried: start it with "
           "scripts/dev-db.sh start, or set DATABASE_URL or --connection)";
  }
  return " (no connection is configured: set DATABASE_URL, pass --connection, or give one in sonamu.config.json)";
}

}  // namespace

std::unique_ptr<pqxx::connection> connect(const conninfo::ConnectionTarget& target) {
  try {
    auto cx = std::make_unique<pqxx::connection>(target.conninfo);
    // The connection is set up once the server has answered a first statement: a server or
    // network that goes away before then is a failure to connect, whatever the moment.
    pqxx::nontransaction(*cx).exec("SELECT 1");
    return cx;
  } catch (const std::exception& e) {
    const std::string hint = target.source == "development" ? development_hint(target) : std::string();
    const std::string reason = setup_reason(e.what());
    const std::string message =
        "Cannot connect to PostgreSQL at " + conninfo::redact_passwords(target.description) + ": " + reason + hint;
    if (turned_away_for_now(reason)) throw ServerBusy(message, reason);
    throw Error(ExitCode::connection, message);
  }
}

}  // namespace sonamu::pg
