#include "pg/pool_mode.hpp"

#include <libpq-fe.h>
#include <pqxx/connection>
#include <pqxx/nontransaction>

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include <poll.h>
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
/// leaves. Returns its mark, or nullopt when it went straight to PostgreSQL or did not get
/// through: then the main connection's own probe decides.
struct OtherClient {
  bool direct = false;
  std::optional<std::string> mark;
};

/// How long the second client may wait for a server connection. A session pool whose server
/// connections are all held by clients (this one among them) never gives it one: waiting
/// longer would make every such client wait for the others, until the pooler's own timeout.
constexpr std::chrono::milliseconds other_client_wait{2000};

OtherClient mark_from_another_client(const std::string& conninfo) {
  OtherClient result;
  if (conninfo.empty()) return result;
  // libpq directly: its asynchronous calls let the wait for an answer be bounded.
  std::unique_ptr<PGconn, decltype(&PQfinish)> other(PQconnectdb(conninfo.c_str()), PQfinish);
  if (!other || PQstatus(other.get()) != CONNECTION_OK) {
    spdlog::debug("pooler probe: a second connection failed: {}",
                  other ? PQerrorMessage(other.get()) : "out of memory");
    return result;
  }
  const std::string token = "other-" + std::to_string(::getpid()) + "-" +
                            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  const char* values[] = {probe_variable, token.c_str()};
  if (PQsendQueryParams(other.get(), "SELECT pg_backend_pid(), set_config($1, $2, false)", 2, nullptr, values,
                        nullptr, nullptr, 0) == 0) {
    return result;
  }
  const auto deadline = std::chrono::steady_clock::now() + other_client_wait;
  while (PQisBusy(other.get()) != 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd readable{PQsocket(other.get()), POLLIN, 0};
    if (left.count() <= 0 || ::poll(&readable, 1, static_cast<int>(left.count())) == 0) {
      spdlog::debug("pooler probe: the second connection got no server connection within {} ms",
                    other_client_wait.count());
      return result;
    }
    if (PQconsumeInput(other.get()) == 0) return result;
  }
  int pid = 0;
  bool answered = false;
  while (PGresult* answer = PQgetResult(other.get())) {
    if (PQresultStatus(answer) == PGRES_TUPLES_OK && PQntuples(answer) == 1) {
      pid = std::atoi(PQgetvalue(answer, 0, 0));
      answered = true;
    }
    PQclear(answer);
  }
  if (!answered) return result;
  if (pid == PQbackendPID(other.get())) {
    result.direct = true;
  } else {
    result.mark = token;
  }
  return result;
}

}  // namespace

PoolMode detect_pool_mode(pqxx::connection_base& cx, const std::string& conninfo) {
  // A direct connection is known from its own first statement: no second client for it.
  if (read_probe(cx).first == cx.backendpid()) return PoolMode::direct;
  const OtherClient other = mark_from_another_client(conninfo);
  const auto [first_pid, first_value] = read_probe(cx);
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
