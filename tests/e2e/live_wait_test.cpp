// The live status line of a terminal 80 columns wide while a command waits before its first
// batch: in the measurement of the data at risk of a rollback, blocked by an application's
// table lock, and for the migration lock another runner holds. The line names what it waits for
// and who holds it first, so nothing a user needs to act is cut off.
#include "e2e.hpp"

#include "../support/blocker.hpp"
#include "../support/terminal_session.hpp"
#include "../support/wait_until.hpp"

#include <catch2/catch.hpp>

using namespace sonamu::test;

namespace {

const std::string migration = "20240301000001_add_nickname.cpp";

/// Sessions of the tool queued for a lock on "users".
bool tool_waits_for_users(const TestDatabase& db) {
  return db.scalar("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                   "WHERE NOT l.granted AND l.relation = 'users'::regclass "
                   "AND a.application_name = 'sonamu-migrate'") == "1";
}

/// The applied lock fixture: "users" with the column its rollback drops, and a value in it,
/// so that the rollback measures the data at risk first.
void applied(const TestDatabase& db) {
  db.query(R"(CREATE TABLE "users" ("id" serial primary key))");
  REQUIRE(migrate(db, {"run"}, SONAMU_FIXTURE_LOCK).exit_code == 0);
  db.query(R"(INSERT INTO "users" ("nickname") VALUES ('ann'))");
}

}  // namespace

TEST_CASE("at 80 columns a rollback blocked in its measurement shows the blocker's application and pid") {
  // At 80 columns the wait and the blocker come first; at 200 the rest shows it is the
  // measurement of the data at risk, before any batch.
  for (const int columns : {80, 200}) {
    INFO(columns << " columns");
    TestDatabase db;
    applied(db);
    // The down the measurement rehearses (DROP COLUMN) waits for it.
    Blocker blocker(db, "LOCK TABLE users IN ACCESS SHARE MODE");
    TerminalSession terminal(
        migrate_spec(db, {"rollback", "--yes", "--lock-timeout-sql", "0"}, SONAMU_FIXTURE_LOCK), columns);
    wait_until("the rollback to queue for its lock on users", [&] { return tool_waits_for_users(db); });
    const std::string shown =
        " waiting for \"users\" held by pid " + std::to_string(blocker.pid()) + " \"api\", idle in transaction";
    wait_until("the status line to name the blocker",
               [&] { return terminal.screen().find(shown) != std::string::npos; });
    const std::string during = terminal.screen();
    INFO(during);
    if (columns == 200) CHECK_THAT(during, Catch::Contains(" · rollback · measuring the data at risk · "));
    CHECK_THAT(during, Catch::Contains("Environment: development"));
    blocker.release();
    wait_until("the command to end", [&] { return terminal.ended(); });
    CHECK(terminal.exit_status() == 0);
    // The line left nothing behind: the screen ends with the rollback's own output.
    CHECK_THAT(terminal.screen(), Catch::EndsWith("Batch 1 rolled back: 1 migration\n✅ " + migration + "\n"));
    CHECK(terminal.screen().find("waiting for") == std::string::npos);
  }
}

TEST_CASE("at 80 columns a command waiting for the migration lock names the runner holding it") {
  TestDatabase db;
  db.query(R"(CREATE TABLE "users" ("id" serial primary key))");
  // A first runner holds the migration lock while its migration waits for an application.
  Blocker blocker(db, "LOCK TABLE users IN ACCESS SHARE MODE");
  Process first(migrate_spec(db, {"run", "--lock-timeout-sql", "0"}, SONAMU_FIXTURE_LOCK));
  wait_until("the first runner to queue for its lock on users", [&] { return tool_waits_for_users(db); });
  const std::string holder = db.scalar(
      "SELECT DISTINCT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND "
      "database = (SELECT oid FROM pg_database WHERE datname = current_database())");

  TerminalSession second(migrate_spec(db, {"run"}, SONAMU_FIXTURE_LOCK), 80);
  wait_until("the second runner to show whom it waits for", [&] {
    return second.screen().find("waiting for the migration lock held by pid " + holder + " \"sonamu-migrate\"") !=
           std::string::npos;
  });
  INFO(second.screen());
  // What the command does meanwhile follows, cut at 80 columns where it must be.
  CHECK_THAT(second.screen(), Catch::Contains("\"sonamu-migrate\", active "));
  blocker.release();
  CHECK(first.wait().exit_code == 0);
  wait_until("the second runner to end", [&] { return second.ended(); });
  CHECK(second.exit_status() == 0);
  CHECK_THAT(second.screen(), Catch::EndsWith("Already up to date\n"));
}

TEST_CASE("at 80 columns a rollback given up at its lock timeout says nothing changed and the two ways out") {
  TestDatabase db;
  applied(db);
  Blocker blocker(db, "LOCK TABLE users IN ACCESS SHARE MODE");
  TerminalSession terminal(migrate_spec(db, {"rollback", "--yes", "--lock-timeout-sql", "1s", "--lock-attempts", "1"},
                                        SONAMU_FIXTURE_LOCK),
                           80);
  wait_until("the command to end", [&] { return terminal.ended(); });
  CHECK(terminal.exit_status() == 5);
  const std::string pid = std::to_string(blocker.pid());
  const std::string text = terminal.text();
  INFO(text);
  CHECK_THAT(text, Catch::Contains("❌ Error rolling back " + migration + "\n"
                                   "   Error: canceling statement due to lock timeout\n"
                                   "   Waited for lock on \"users\" (AccessExclusiveLock) held by pid " + pid +
                                   ", application \"api\", idle in transaction for "));
  CHECK_THAT(text, Catch::Contains("   Its transaction was rolled back: nothing it did was kept. To go on, end the "
                                   "transaction of pid " + pid + ", or give the lock more time with "
                                   "--lock-timeout-sql, and run the command again\n"));
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "1");
}
