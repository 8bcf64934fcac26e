// Ctrl-C and SIGTERM at moments outside the migration loop: while connecting, while a
// read-only command waits on the server, during a backup. Each ends with 130 / 143, the
// database unchanged, and no child process left running.
#include "../support/wait_until.hpp"
#include "e2e.hpp"

#include <catch2/catch.hpp>
#include <pqxx/transaction>

#include <csignal>
#include <filesystem>
#include <fstream>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace sonamu::test;
namespace fs = std::filesystem;

namespace {

/// A loopback port that takes connections (the kernel completes them) and never answers:
/// libpq waits there for the server's reply until its connect timeout.
class SilentServer {
 public:
  SilentServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(fd_, 8) == 0);
    socklen_t size = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
  }
  ~SilentServer() { ::close(fd_); }
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;
  int port() const { return port_; }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

/// Backends of `db` waiting for a lock, from any client.
int lock_waiters(const TestDatabase& db) {
  return std::stoi(db.scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                             " AND wait_event_type = 'Lock'"));
}

/// Whether `pid` still runs (a zombie waiting for whoever adopted it has ended).
bool running(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const auto after_name = line.rfind(')');
  return after_name != std::string::npos && after_name + 2 < line.size() && line[after_name + 2] != 'Z';
}

}  // namespace

TEST_CASE("SIGTERM or SIGINT while connecting ends the command at once (143 / 130)") {
  for (const int signal_number : {SIGTERM, SIGINT}) {
    SilentServer server;
    ProcessSpec spec;
    spec.argv = {SONAMU_BINARY, "migrate", "status", "--connect-timeout", "600", "-c",
                 "host=127.0.0.1 port=" + std::to_string(server.port()) + " dbname=x"};
    spec.cwd = empty_directory();
    spec.env["DATABASE_URL"] = std::nullopt;
    Process tool(spec);
    // The tool's connection, completed by the kernel, is waiting to be accepted.
    const int client = ::accept(server.fd(), nullptr, nullptr);
    REQUIRE(client >= 0);
    tool.signal(signal_number);
    const auto result = tool.wait(std::chrono::seconds(60));
    ::close(client);
    CHECK(result.exit_code == 128 + signal_number);
    CHECK_THAT(result.err, Catch::Contains("while connecting: nothing was changed"));
  }
}

TEST_CASE("SIGINT while status waits on the server: 130, not a failure") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  auto blocker = db.connect();
  pqxx::work hold(*blocker);
  hold.exec(R"(LOCK TABLE "knex_migrations" IN ACCESS EXCLUSIVE MODE)");
  Process tool(migrate_spec(db, {"status"}));
  wait_until("status waiting for the lock", [&] { return lock_waiters(db) == 1; });
  tool.signal(SIGINT);
  const auto result = tool.wait();
  hold.abort();
  CHECK(result.exit_code == 130);
  CHECK_THAT(result.err, Catch::StartsWith("Interrupted by SIGINT"));
}

TEST_CASE("SIGINT while verify waits on the server: 130, and no migration failure is reported") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  auto blocker = db.connect();
  pqxx::work hold(*blocker);
  hold.exec(R"(LOCK TABLE "knex_migrations" IN ACCESS EXCLUSIVE MODE)");
  Process tool(migrate_spec(db, {"verify"}));
  wait_until("verify waiting for the lock", [&] { return lock_waiters(db) == 1; });
  tool.signal(SIGINT);
  const auto result = tool.wait();
  hold.abort();
  CHECK(result.exit_code == 130);
  CHECK(result.err.find("Error running") == std::string::npos);
  CHECK(recorded(db) == "20251220143022_create__users.cpp:1");
}

TEST_CASE("SIGTERM during --backup stops pg_dump too: 143, nothing rolled back, no file left") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  const ScratchDirectory bin("sonamu-bin-slow-dump");
  // A pg_dump that says it started, then never finishes.
  std::ofstream(bin.path() / "pg_dump") << "#!/bin/sh\necho $$ > \"$(dirname \"$0\")/pid\"\nexec sleep 600\n";
  fs::permissions(bin.path() / "pg_dump", fs::perms::owner_all);
  const ScratchDirectory out("sonamu-backup-signal");
  const char* path = std::getenv("PATH");
  Process tool(migrate_spec(db, {"rollback", "--backup", (out.path() / "dump.sql").string()}, SONAMU_BINARY,
                            {{"PATH", bin.string() + ":" + (path != nullptr ? path : "/usr/bin:/bin")}}));
  const fs::path pid_file = bin.path() / "pid";
  wait_until("pg_dump to start", [&] {
    std::ifstream in(pid_file);
    std::string text;
    return static_cast<bool>(std::getline(in, text)) && !text.empty();
  });
  int dump_pid = 0;
  std::ifstream(pid_file) >> dump_pid;
  REQUIRE(dump_pid > 0);
  tool.signal(SIGTERM);
  const auto result = tool.wait();
  CHECK(result.exit_code == 143);
  wait_until("pg_dump to end", [&] { return ::kill(dump_pid, 0) != 0; });
  CHECK(db.has_table("users"));
  CHECK(recorded(db) == "20251220143022_create__users.cpp:1");
  CHECK(fs::is_empty(out.path()));
}

TEST_CASE("SIGINT or SIGTERM while run plans, history or mark read, or a rollback measures its losses") {
  struct Moment {
    std::string name;
    std::vector<std::string> args;
    std::string held_table;  ///< locked by another session, so the command waits there
    int signal_number;
  };
  const std::vector<Moment> moments = {
      {"run's planning", {"run"}, "knex_migrations", SIGINT},
      {"history", {"history"}, "knex_migrations_history", SIGTERM},
      {"mark", {"mark", "20251220143100_create__posts", "--yes"}, "knex_migrations", SIGTERM},
      {"the rollback's measurement of the data at risk", {"rollback", "--yes"}, "users", SIGINT},
  };
  for (const auto& moment : moments) {
    INFO(moment.name);
    TestDatabase db;
    REQUIRE(migrate(db, {"up"}).exit_code == 0);
    db.query(R"(INSERT INTO "users" ("email") VALUES ('a@example.com'))");
    auto blocker = db.connect();
    pqxx::work hold(*blocker);
    hold.exec("LOCK TABLE " + hold.quote_name(moment.held_table) + " IN ACCESS EXCLUSIVE MODE");
    Process tool(migrate_spec(db, moment.args));
    wait_until("the command waiting for the lock", [&] { return lock_waiters(db) == 1; });
    tool.signal(moment.signal_number);
    const auto result = tool.wait();
    hold.abort();
    CHECK(result.exit_code == 128 + moment.signal_number);
    const auto err = split_banner(result).err;  // after "Environment: ..." of writing commands
    CHECK_THAT(err, Catch::StartsWith(moment.signal_number == SIGINT ? "Interrupted by SIGINT"
                                                                     : "Interrupted by SIGTERM"));
    CHECK(result.err.find("canceling statement") == std::string::npos);
    CHECK(recorded(db) == "20251220143022_create__users.cpp:1");
    CHECK(db.scalar("SELECT count(*) FROM users") == "1");
    CHECK(db.scalar("SELECT string_agg(is_locked::text, ',') FROM knex_migrations_lock") == "0");
  }
}

TEST_CASE("kill -9 of the tool during --backup ends pg_dump too; the rollback never happened") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  const ScratchDirectory bin("sonamu-bin-slow-dump");
  std::ofstream(bin.path() / "pg_dump") << "#!/bin/sh\necho $$ > \"$(dirname \"$0\")/pid\"\nexec sleep 600\n";
  fs::permissions(bin.path() / "pg_dump", fs::perms::owner_all);
  const ScratchDirectory out("sonamu-backup-kill");
  const char* path = std::getenv("PATH");
  Process tool(migrate_spec(db, {"rollback", "--backup", (out.path() / "dump.sql").string()}, SONAMU_BINARY,
                            {{"PATH", bin.string() + ":" + (path != nullptr ? path : "/usr/bin:/bin")}}));
  const fs::path pid_file = bin.path() / "pid";
  wait_until("pg_dump to start", [&] {
    std::ifstream in(pid_file);
    std::string text;
    return static_cast<bool>(std::getline(in, text)) && !text.empty();
  });
  int dump_pid = 0;
  std::ifstream(pid_file) >> dump_pid;
  REQUIRE(dump_pid > 0);
  tool.signal(SIGKILL);
  CHECK(tool.wait().exit_code == 128 + SIGKILL);
  wait_until("pg_dump to end", [&] { return !running(dump_pid); });
  CHECK(db.has_table("users"));
  CHECK(recorded(db) == "20251220143022_create__users.cpp:1");
}
