#include "pg/pool_mode.hpp"

#include <pqxx/connection>
#include <pqxx/nontransaction>

#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>
#include <string>

#include <unistd.h>

namespace sonamu::pg {

namespace {

constexpr const char* probe_variable = "sonamu.session_probe";

std::string new_token(pqxx::connection_base& cx, const char* role) {
  static int counter = 0;
  return std::string(role) + "-" + std::to_string(::getpid()) + "-" + std::to_string(cx.backendpid()) + "-" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "-" +
         std::to_string(++counter);
}

/// pg_backend_pid() and the probe variable's value, read in one statement.
std::pair<int, std::optional<std::string>> read_probe(pqxx::connection_base& cx) {
  pqxx::nontransaction ntx(cx);
  const auto row = ntx.exec_params("SELECT pg_backend_pid(), current_setting($1, true)", probe_variable)[0];
  return {row[0].as<int>(), row[1].is_null() ? std::nullopt : std::optional<std::string>(row[1].as<std::string>())};
}

int set_probe(pqxx::connection_base& cx, const std::string& token) {
  pqxx::nontransaction ntx(cx);
  return ntx.exec_params("SELECT pg_backend_pid(), set_config($1, $2, false)", probe_variable, token)[0][0].as<int>();
}

/// A second client of the same server or pooler marks the server connection it used, and
/// leaves. Returns its mark, or nullopt when it went straight to PostgreSQL (or could not
/// connect: then the main connection's own probe decides). Done before the main connection
/// sends anything, so that a session pool never has to hold two server connections for us.
struct OtherClient {
  bool direct = false;
  std::optional<std::string> mark;
};

OtherClient mark_from_another_client(const std::string& conninfo) {
  OtherClient result;
  if (conninfo.empty()) return result;
  try {
    pqxx::connection other(conninfo);
    const std::string token = new_token(other, "other");
    const int pid = set_probe(other, token);
    if (pid == other.backendpid()) {
      result.direct = true;
    } else {
      result.mark = token;
    }
  } catch (const std::exception& e) {
    spdlog::debug("pooler probe: a second connection failed: {}", e.what());
  }
  return result;
}

}  // namespace

PoolMode detect_pool_mode(pqxx::connection_base& cx, const std::string& conninfo) {
  const OtherClient other = mark_from_another_client(conninfo);
  const auto [first_pid, first_value] = read_probe(cx);
  if (first_pid == cx.backendpid()) return PoolMode::direct;
  // A transaction pooler gives the server connection the other client just left (PgBouncer
  // reuses the most recent one) to the next transaction of anyone: seeing its mark proves
  // it. A session pooler resets a connection a client leaves, and never shares one.
  if (other.mark && first_value == other.mark) {
    spdlog::debug("pooler probe: this connection sees another client's session variable");
    return PoolMode::transaction;
  }
  // When other clients keep the pool busy, the mark may be gone elsewhere: then this
  // connection's own variable must survive from one statement to the next, every time.
  for (int round = 0; round < 3; ++round) {
    const std::string token = new_token(cx, "self");
    const int marked_pid = set_probe(cx, token);
    const auto [pid, value] = read_probe(cx);
    if (pid != marked_pid || value != token || pid != first_pid) {
      spdlog::debug("pooler probe: backends {}, {}, {}; session variable {}", first_pid, marked_pid, pid,
                    value == token ? "kept" : "lost");
      return PoolMode::transaction;
    }
  }
  return PoolMode::session;
}

const char* describe(PoolMode mode) {
  switch (mode) {
    case PoolMode::direct: return "direct";
    case PoolMode::session: return "session pooling";
    case PoolMode::transaction: return "transaction pooling";
  }
  return "";
}

}  // namespace sonamu::pg
