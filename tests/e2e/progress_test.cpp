// While a command works: the live status line on a real terminal, the lock a statement waits
// for named (status line, --verbose, the error of a lock_timeout, --json), and the one bounded
// monitoring connection that finds it out.
#include "e2e.hpp"

#include "../support/blocker.hpp"
#include "../support/terminal_session.hpp"
#include "../support/wait_until.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include <regex>
#include <sstream>

using namespace sonamu::test;
using json = nlohmann::json;

namespace {

const std::string migration = "20240301000001_add_nickname.cpp";
const char* const monitor_application = "sonamu-migrate lock monitor";

/// What an application's session (a Blocker) ran to hold "users", as `psql` would after
/// `BEGIN;`.
const std::string share_users = "LOCK TABLE users IN ACCESS SHARE MODE";

/// A connection of the test's own that watches the server (one session for the whole test, so
/// it does not count in what it measures).
class Observer {
 public:
  explicit Observer(const TestDatabase& db) : cx_(db.connect()) {}

  long long number(const std::string& sql) {
    pqxx::nontransaction ntx(*cx_);
    return ntx.exec(sql)[0][0].as<long long>();
  }
  /// The migration's session queued for a lock on "users".
  bool migration_waits() {
    return number("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                  "WHERE NOT l.granted AND l.relation = 'users'::regclass "
                  "AND a.application_name = 'sonamu-migrate'") == 1;
  }
  /// Monitoring connections open now.
  long long monitors() {
    return number(std::string("SELECT count(*) FROM pg_stat_activity WHERE application_name = '") +
                  monitor_application + "'");
  }
  /// Sessions ever opened to this database that have ended (their statistics are written
  /// when they end), once no session but this one is left.
  long long ended_sessions() {
    wait_until("the other sessions of the database to end", [&] {
      return number("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid()") == 0;
    });
    number("SELECT count(*) FROM (SELECT pg_stat_force_next_flush()) f");  // this session's own, too
    number("SELECT count(*) FROM (SELECT pg_stat_clear_snapshot()) c");
    return number("SELECT sessions FROM pg_stat_database WHERE datname = current_database()");
  }

 private:
  std::unique_ptr<pqxx::connection> cx_;
};

void create_users(const TestDatabase& db) { db.query(R"(CREATE TABLE "users" ("id" serial primary key))"); }

/// `holder`'s part of the status line: pid, application, state.
std::string held_by(const Blocker& holder) {
  return "held by pid " + std::to_string(holder.pid()) + " \"api\", idle in transaction";
}

/// stderr of the migration given up at lock_timeout while the Blocker with `pid` held "users".
std::regex lock_timeout_error(const std::string& pid) {
  return std::regex("❌ Error running " + migration + "\n"
                    "   Error: canceling statement due to lock timeout\n"
                    "   Waited for lock on \"users\" \\(AccessExclusiveLock\\) held by pid " + pid +
                    ", application \"api\", idle in transaction for [0-9]+ s\n"
                    "   Query of pid " + pid + ": LOCK TABLE users IN ACCESS SHARE MODE\n"
                    "   Its transaction was rolled back: nothing it did was kept\\. To go on, end the transaction "
                    "of pid " + pid + ", or give the lock more time with --lock-timeout-sql, and run the command "
                    "again\n");
}

}  // namespace

TEST_CASE("on a terminal the status line names the blocking session, then is erased") {
  TestDatabase db;
  create_users(db);
  Observer observer(db);
  Blocker blocker(db, share_users);
  TerminalSession terminal(migrate_spec(db, {"run", "--lock-timeout-sql", "0"}, SONAMU_FIXTURE_LOCK));
  wait_until("the migration to queue for its lock on users", [&] { return observer.migration_waits(); });
  // Shown once the statement has waited a second; the line is redrawn a few times a second.
  wait_until("the status line to name the blocker",
             [&] { return terminal.screen().find(held_by(blocker)) != std::string::npos; });
  const std::string during = terminal.screen();
  INFO(during);
  CHECK_THAT(during, Catch::Contains("waiting for \"users\" " + held_by(blocker)));
  CHECK_THAT(during, Catch::Contains("AccessExclusiveLock · run · batch 1 · 1/1 " + migration));
  CHECK(observer.monitors() == 1);

  blocker.release();
  wait_until("the command to end", [&] { return terminal.ended(); });
  CHECK(terminal.exit_status() == 0);
  // Exactly the documented output: the status line left nothing behind.
  CHECK(terminal.screen() == "Environment: development, database: " + server_description(db.name()) + "\n" +
                                 "Batch 1 run: 1 migration\n" + "✅ " + migration + "\n");
  wait_until("the monitoring connection to close", [&] { return observer.monitors() == 0; });
}

TEST_CASE("with NO_COLOR the status line is plain ASCII") {
  TestDatabase db;
  create_users(db);
  Observer observer(db);
  Blocker blocker(db, share_users);
  TerminalSession terminal(migrate_spec(db, {"run", "--lock-timeout-sql", "0"}, SONAMU_FIXTURE_LOCK, {{"NO_COLOR", "1"}}));
  wait_until("the migration to queue for its lock on users", [&] { return observer.migration_waits(); });
  wait_until("the status line to name the blocker",
             [&] { return terminal.screen().find(held_by(blocker)) != std::string::npos; });
  const std::string during = terminal.screen();
  INFO(during);
  CHECK_THAT(during, Catch::Contains("run | batch 1 | 1/1 " + migration));
  CHECK(std::all_of(during.begin(), during.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }));
  blocker.release();
  wait_until("the command to end", [&] { return terminal.ended(); });
  CHECK(terminal.screen() == "Environment: development, database: " + server_description(db.name()) + "\n" +
                                 "Batch 1 run: 1 migration\n" + "[ok] " + migration + "\n");
}

TEST_CASE("off a terminal a wait prints nothing more, and takes exactly one monitoring connection") {
  TestDatabase db;
  create_users(db);
  Observer observer(db);
  const long long before = observer.ended_sessions();
  Blocker blocker(db, share_users);
  Process runner(migrate_spec(db, {"run", "--lock-timeout-sql", "0"}, SONAMU_FIXTURE_LOCK));
  wait_until("the migration to queue for its lock on users", [&] { return observer.migration_waits(); });
  // Off a terminal the wait is still watched, so a lock_timeout could name the blocker.
  long long most = 0;
  wait_until("the monitoring connection to open", [&] {
    most = std::max(most, observer.monitors());
    return most >= 1;
  });
  for (int i = 0; i < 20; ++i) most = std::max(most, observer.monitors());
  CHECK(most == 1);
  blocker.release();
  const auto result = split_banner(runner.wait());
  CHECK(result.exit_code == 0);
  CHECK(result.out == "Batch 1 run: 1 migration\n✅ " + migration + "\n");
  CHECK(result.err.empty());
  // The blocker, the migrations' session and one monitoring connection: nothing else.
  CHECK(observer.ended_sessions() - before == 3);
}

TEST_CASE("when nothing waits no monitoring connection is opened") {
  TestDatabase db;
  create_users(db);
  Observer observer(db);
  const long long before = observer.ended_sessions();
  const auto result = migrate(db, {"run"}, SONAMU_FIXTURE_LOCK);
  CHECK(result.exit_code == 0);
  CHECK(result.out == "Batch 1 run: 1 migration\n✅ " + migration + "\n");
  CHECK(observer.ended_sessions() - before == 1);  // the migrations' own session only
}

TEST_CASE("--verbose logs the wait between the SQL and the migration's duration") {
  TestDatabase db;
  create_users(db);
  Observer observer(db);
  Blocker blocker(db, share_users);
  Process runner(migrate_spec(db, {"run", "--verbose", "--lock-timeout-sql", "0"}, SONAMU_FIXTURE_LOCK));
  wait_until("the migration to queue for its lock on users", [&] { return observer.migration_waits(); });
  REQUIRE(runner.wait_for_output("Waiting "));
  const int pid = blocker.pid();
  blocker.release();
  const auto result = split_banner(runner.wait());
  INFO(result.out);
  CHECK(result.exit_code == 0);
  // Line by line: the wait is logged once or more (every 5 s), between the SQL and the
  // migration's duration.
  std::vector<std::string> lines;
  std::istringstream text(result.out);
  for (std::string line; std::getline(text, line);) lines.push_back(line);
  REQUIRE(lines.size() >= 6);
  CHECK(lines[0] == "Running migration: " + migration);
  CHECK(lines[1] == "SQL: ALTER TABLE \"users\" ADD COLUMN \"nickname\" text");
  const std::regex waiting("Waiting [0-9]+\\.[0-9] s for lock on \"users\" \\(AccessExclusiveLock\\) held by pid " +
                           std::to_string(pid) + ", application \"api\", idle in transaction for [0-9]+ s");
  const std::size_t tail = lines.size() - 3;  // after the waits: ✅, blank, summary
  for (std::size_t i = 2; i < tail; ++i) CHECK(std::regex_match(lines[i], waiting));
  CHECK(std::regex_match(lines[tail], std::regex("✅ Completed in [0-9]+ms")));
  CHECK(lines[tail + 1].empty());
  CHECK(lines[tail + 2] == "Batch 1 run: 1 migration");
}

TEST_CASE("a lock_timeout that ends the wait names the blocker, in text and in JSON") {
  TestDatabase db;
  create_users(db);
  Blocker blocker(db, share_users);
  const std::string pid = std::to_string(blocker.pid());

  // One attempt: the retries have tests of their own (lock_retry_test.cpp).
  const auto text = migrate(db, {"run", "--lock-timeout-sql", "4s", "--lock-attempts", "1"}, SONAMU_FIXTURE_LOCK);
  CHECK(text.exit_code == 5);
  CHECK(text.out.empty());
  INFO(text.err);
  CHECK(std::regex_match(text.err, lock_timeout_error(pid)));

  const auto document = migrate(db, {"run", "--json", "--statement-timeout", "4s"}, SONAMU_FIXTURE_LOCK);
  CHECK(document.exit_code == 1);
  const auto parsed = json::parse(document.out);
  INFO(document.out);
  const auto& error = parsed["error"];
  CHECK(error["sqlstate"] == "57014");
  REQUIRE(error["blocked_by"].size() == 1);
  const auto& holder = error["blocked_by"][0];
  CHECK(holder["pid"] == blocker.pid());
  CHECK(holder["application"] == "api");
  CHECK(holder["state"] == "idle in transaction");
  CHECK(holder["query"] == "LOCK TABLE users IN ACCESS SHARE MODE");
  CHECK(std::regex_match(holder["since"].get<std::string>(), std::regex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z")));
  CHECK(error["waited_for"] == json({{"relation", "users"}, {"mode", "AccessExclusiveLock"}}));
  // The batch was rolled back: nothing is recorded, and both failures are in the history.
  CHECK(recorded(db).empty());
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations_history WHERE NOT success") == "2");
  blocker.release();
}

TEST_CASE("a failure that is no lock wait names no blocker") {
  TestDatabase db;
  // No users table: the ALTER fails at once, and nothing was waited for.
  const auto result = migrate(db, {"run", "--json"}, SONAMU_FIXTURE_LOCK);
  CHECK(result.exit_code == 1);
  const auto error = json::parse(result.out)["error"];
  CHECK(error["sqlstate"] == "42P01");
  CHECK(error["blocked_by"] == json::array());
  CHECK_FALSE(error.contains("waited_for"));
}

TEST_CASE("on a terminal --quiet, --json and --debug draw no status line") {
  for (const std::string flag : {"--quiet", "--json", "--debug"}) {
    INFO(flag);
    TestDatabase db;
    create_users(db);
    Observer observer(db);
    Blocker blocker(db, share_users);
    TerminalSession terminal(migrate_spec(db, {"run", flag, "--lock-timeout-sql", "0"}, SONAMU_FIXTURE_LOCK));
    wait_until("the migration to queue for its lock on users", [&] { return observer.migration_waits(); });
    // Past the second after which the lock is looked up, and a line would name it.
    wait_until("the monitoring connection to open", [&] { return observer.monitors() == 1; });
    const std::string during = terminal.screen();
    INFO(during);
    CHECK(during.find("1/1 " + migration) == std::string::npos);
    if (flag != "--debug") CHECK(during.empty());
    blocker.release();
    wait_until("the command to end", [&] { return terminal.ended(); });
    CHECK(terminal.exit_status() == 0);
    if (flag == "--quiet") CHECK(terminal.screen().empty());
    if (flag == "--json") CHECK(json::parse(terminal.screen())["result"] == "done");
  }
}

TEST_CASE("on a terminal a statement running for seconds is shown on the status line") {
  TestDatabase db;
  Observer observer(db);
  TerminalSession terminal(migrate_spec(db, {"run"}, SONAMU_FIXTURE_SLOW, {{"SONAMU_TEST_SLEEP_UP", "8"}}));
  wait_until("the status line to show the statement",
             [&] { return terminal.screen().find("· SELECT pg_sleep($1)") != std::string::npos; });
  INFO(terminal.screen());
  CHECK_THAT(terminal.screen(), Catch::Contains("run · batch 1 · 2/3 20240201000002_sleepy.cpp · "));
  wait_until("the command to end", [&] { return terminal.ended(); });
  CHECK(terminal.exit_status() == 0);
  CHECK(terminal.screen() == "Environment: development, database: " + server_description(db.name()) + "\n" +
                                 "Batch 1 run: 3 migrations\n" + "✅ 20240201000001_create_slow_a.cpp\n" +
                                 "✅ 20240201000002_sleepy.cpp\n" + "✅ 20240201000003_create_slow_c.cpp\n");
}

TEST_CASE("a slow statement that waits for no lock keeps no monitoring connection open") {
  TestDatabase db;
  Observer observer(db);
  const long long before = observer.ended_sessions();
  // pg_sleep waits for no lock: looked at once it has run a second, then left alone for longer.
  Process runner(migrate_spec(db, {"run", "--debug"}, SONAMU_FIXTURE_SLOW, {{"SONAMU_TEST_SLEEP_UP", "6"}}));
  REQUIRE(runner.wait_for_error_output("monitoring connection closed: the statement waits for no lock"));
  // The server ends the closed session a moment after the client: then the sleep runs on
  // (the next look is two seconds away), watched by no connection.
  wait_until("the monitoring session to end", [&] { return observer.monitors() == 0; });
  CHECK(observer.number("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sonamu-migrate' "
                        "AND state = 'active' AND query LIKE 'SELECT pg_sleep%'") == 1);
  const auto result = runner.wait();
  INFO(result.err);
  CHECK(result.exit_code == 0);
  // Each look opened a connection and closed it again, the statement still running.
  const auto count = [&](const std::string& text) {
    long long n = 0;
    for (auto at = result.err.find(text); at != std::string::npos; at = result.err.find(text, at + 1)) ++n;
    return n;
  };
  const long long looks = count("opening a monitoring connection");
  CHECK(looks >= 1);
  CHECK(count("monitoring connection closed: the statement waits for no lock") == looks);
  CHECK(count("monitoring connection closed: ") == looks);
  CHECK(observer.ended_sessions() - before == 1 + looks);
}

TEST_CASE("a lock_timeout shorter than a second still names the blocker, in text and in JSON") {
  TestDatabase db;
  create_users(db);
  Blocker blocker(db, share_users);
  const std::string pid = std::to_string(blocker.pid());

  // The first look comes at a quarter of the limit, before the limit ends the wait.
  const auto text = migrate(db, {"run", "--lock-timeout-sql", "500ms", "--lock-attempts", "1"}, SONAMU_FIXTURE_LOCK);
  CHECK(text.exit_code == 5);
  INFO(text.err);
  CHECK(std::regex_match(text.err, lock_timeout_error(pid)));

  const auto document = migrate(db, {"run", "--json", "--lock-timeout-sql", "500ms", "--lock-attempts", "1"}, SONAMU_FIXTURE_LOCK);
  CHECK(document.exit_code == 5);
  INFO(document.out);
  const auto error = json::parse(document.out)["error"];
  CHECK(error["sqlstate"] == "55P03");
  REQUIRE(error["blocked_by"].size() == 1);
  CHECK(error["blocked_by"][0]["pid"] == blocker.pid());
  CHECK(error["blocked_by"][0]["application"] == "api");
  CHECK(error["waited_for"] == json({{"relation", "users"}, {"mode", "AccessExclusiveLock"}}));
  CHECK(recorded(db) == "");  // the failure is in the history, no migration is recorded
  blocker.release();
}
