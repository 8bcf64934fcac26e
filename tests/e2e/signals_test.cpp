// Ctrl-C and SIGTERM at moments outside the migration loop: while connecting, while a
// read-only command waits on the server, during a backup. Each ends with 130 / 143, the
// database unchanged, and no child process left running.
#include "../support/held_table.hpp"
#include "../support/silent_server.hpp"
#include "../support/wait_until.hpp"
#include "e2e.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>

#include <sys/socket.h>
#include <unistd.h>

using namespace sonamu::test;
namespace fs = std::filesystem;

namespace {

/// Backends of `db` waiting for a lock, from any client.
int lock_waiters(const TestDatabase& db) {
  return std::stoi(db.scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                             " AND wait_event_type = 'Lock'"));
}

/// Runs `args` while another session holds `table` in ACCESS EXCLUSIVE mode, sends
/// `signal_number` once the command waits for that lock, and returns how it ended (the other
/// session's transaction is rolled back after).
ProcessResult signalled_while_waiting(const TestDatabase& db, const std::vector<std::string>& args,
                                      const std::string& table, int signal_number) {
  HeldTable held(db, table);
  Process tool(migrate_spec(db, args));
  wait_until(args.front() + " waiting for the lock", [&] { return lock_waiters(db) == 1; });
  tool.signal(signal_number);
  return tool.wait();
}

/// A rollback --backup whose pg_dump (a script on PATH) says it started, then never finishes.
class RollbackInBackup {
 public:
  RollbackInBackup(const TestDatabase& db, const std::string& scratch_name)
      : bin_("sonamu-bin-slow-dump"), out_(scratch_name), tool_(spec(db)) {
    const fs::path pid_file = bin_.path() / "pid";
    wait_until("pg_dump to start", [&] {
      std::ifstream in(pid_file);
      std::string text;
      return static_cast<bool>(std::getline(in, text)) && !text.empty();
    });
    std::ifstream(pid_file) >> dump_pid_;
  }
  Process& tool() { return tool_; }
  int dump_pid() const { return dump_pid_; }
  /// The folder the dump was to be written to.
  const fs::path& out() const { return out_.path(); }

 private:
  ProcessSpec spec(const TestDatabase& db) {
    std::ofstream(bin_.path() / "pg_dump") << "#!/bin/sh\necho $$ > \"$(dirname \"$0\")/pid\"\nexec sleep 600\n";
    fs::permissions(bin_.path() / "pg_dump", fs::perms::owner_all);
    const char* path = std::getenv("PATH");
    return migrate_spec(db, {"rollback", "--backup", (out_.path() / "dump.sql").string()}, SONAMU_BINARY,
                        {{"PATH", bin_.string() + ":" + (path != nullptr ? path : "/usr/bin:/bin")}});
  }

  ScratchDirectory bin_;
  ScratchDirectory out_;
  Process tool_;
  int dump_pid_ = 0;
};

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
  const auto result = signalled_while_waiting(db, {"status"}, "knex_migrations", SIGINT);
  CHECK(result.exit_code == 130);
  CHECK_THAT(result.err, Catch::StartsWith("Interrupted by SIGINT"));
}

TEST_CASE("SIGINT while verify waits on the server: 130, and no migration failure is reported") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  const auto result = signalled_while_waiting(db, {"verify"}, "knex_migrations", SIGINT);
  CHECK(result.exit_code == 130);
  CHECK(result.err.find("Error running") == std::string::npos);
  CHECK(recorded(db) == "20251220143022_create__users.cpp:1");
}

TEST_CASE("SIGTERM (143, no file left) or kill -9 of the tool during --backup ends pg_dump too; nothing rolled back") {
  struct Stop {
    int signal_number;
    std::string scratch_name;
    /// The tool sees the signal: it waits for pg_dump's end itself and removes the unfinished
    /// dump. Killed, it cannot: pg_dump ends, left a zombie of whoever adopted it.
    bool handled;
  };
  const auto stop = GENERATE(values<Stop>({{SIGTERM, "sonamu-backup-signal", true},
                                           {SIGKILL, "sonamu-backup-kill", false}}));
  INFO("signal " << stop.signal_number);
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  RollbackInBackup rollback(db, stop.scratch_name);
  const int dump_pid = rollback.dump_pid();
  REQUIRE(dump_pid > 0);
  rollback.tool().signal(stop.signal_number);
  CHECK(rollback.tool().wait().exit_code == 128 + stop.signal_number);
  if (stop.handled) {
    wait_until("pg_dump to end", [&] { return ::kill(dump_pid, 0) != 0; });
  } else {
    wait_until("pg_dump to end", [&] { return !running(dump_pid); });
  }
  CHECK(db.has_table("users"));
  CHECK(recorded(db) == "20251220143022_create__users.cpp:1");
  if (stop.handled) CHECK(fs::is_empty(rollback.out()));
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
    const auto result = signalled_while_waiting(db, moment.args, moment.held_table, moment.signal_number);
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
