// The confirmation question of a rollback that deletes data: while it waits the tool holds no
// lock at all (no transaction, no migration lock), Ctrl-C there ends the command with 130, and
// an answer given while another runner changed the records is not applied to the new ones, on
// one database or on a fleet's target.
#include "../support/terminal_session.hpp"
#include "../support/wait_until.hpp"
#include "e2e.hpp"
#include "prompted_rollback.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace sonamu::test;

namespace {

/// Locks of any kind held in the test database, by anyone.
std::string locks_in(const TestDatabase& db, const std::string& kind_condition) {
  return db.scalar("SELECT count(*) FROM pg_locks l LEFT JOIN pg_class c ON c.oid = l.relation "
                   "WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                   "AND l.pid <> pg_backend_pid() AND " + kind_condition);
}

}  // namespace

TEST_CASE("while the question waits the migration lock is free: another runner does not wait") {
  TestDatabase db;
  users_with_phone(db);
  PromptedRollback prompt(db);
  CHECK(locks_in(db, "l.locktype = 'advisory'") == "0");
  CHECK(locks_in(db, "l.locktype = 'relation'") == "0");
  // `unlock` refuses while a runner holds the migration lock: here it has nothing to refuse.
  const auto other = migrate(db, {"unlock"});
  CHECK(other.exit_code == 0);
  prompt.type("n\n");
  const auto result = prompt.wait();
  CHECK(result.exit_code == 1);
  // What would be rolled back is said before the question, not after the answer.
  const auto listed = result.out.find("It rolls back 1 migration of batch 2: 20251220143200_alter_users_add1.cpp");
  CHECK(listed != std::string::npos);
  CHECK(listed < result.out.find("Roll back and delete this data? [y/N]"));
  CHECK_THAT(result.out, Catch::Contains("Error: Rollback cancelled: nothing was changed"));
  CHECK(db.scalar("SELECT count(phone) FROM users") == "1");
}

TEST_CASE("Ctrl-C at the question ends the command with 130, nothing changed") {
  TestDatabase db;
  users_with_phone(db);
  PromptedRollback prompt(db);
  prompt.type("\x03");  // the terminal turns it into SIGINT for the tool
  const auto result = prompt.wait();
  CHECK(result.exit_code == 130);
  // On a line of its own after the ^C, and true: the question holds no transaction.
  const std::string said = "Interrupted by SIGINT at the question: nothing was changed";
  const auto at = result.out.find(said);
  INFO(result.out);
  REQUIRE(at != std::string::npos);
  CHECK(at > 0);
  CHECK(result.out[at - 1] == '\n');
  CHECK(result.out.find("transaction in progress was rolled back") == std::string::npos);
  CHECK(db.scalar("SELECT count(phone) FROM users") == "1");
  CHECK(db.scalar("SELECT max(batch) FROM knex_migrations") == "2");
}

TEST_CASE("records changed by another runner while the question waited: exit 5, nothing more changed") {
  TestDatabase db;
  users_with_phone(db);
  PromptedRollback prompt(db);
  // Off a terminal another rollback proceeds unattended: it reverts batch 2 meanwhile.
  const auto other = migrate(db, {"rollback"});
  REQUIRE(other.exit_code == 0);
  prompt.type("y\n");
  const auto result = prompt.wait();
  CHECK(result.exit_code == 5);
  CHECK_THAT(result.out, Catch::Contains("changed while the confirmation was asked"));
  // Batch 1, which the answer was never about, is still applied.
  CHECK(db.scalar("SELECT count(*) || ':' || max(batch) FROM knex_migrations") == "2:1");
  CHECK(db.scalar("SELECT to_regclass('users') IS NOT NULL") == "t");
}

TEST_CASE("a session the server ended while the question waited (idle_session_timeout): exit 3, one line, nothing changed") {
  TestDatabase db;
  users_with_phone(db);
  // Every new session of this database ends after 1 s without a statement outside a transaction.
  db.query("ALTER DATABASE " + db.connect()->quote_name(db.name()) + " SET idle_session_timeout = '1s'");
  PromptedRollback prompt(db);
  wait_until("the server to end the tool's session", [&] {
    return db.scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sonamu-migrate' "
                     "AND datname = current_database()") == "0";
  });
  prompt.type("y\n");
  const auto result = prompt.wait();
  INFO(result.out);
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.out, Catch::Contains("\nError: The server ended the session while the question was asked "
                                         "(idle_session_timeout, or a restart): nothing was changed; run the command "
                                         "again\r\n"));
  CHECK(result.out.find("client encoding") == std::string::npos);
  CHECK(db.scalar("SELECT count(phone) FROM users") == "1");
  CHECK(db.scalar("SELECT max(batch) FROM knex_migrations") == "2");
  CHECK(db.scalar("SELECT string_agg(is_locked::text, ',') FROM knex_migrations_lock") == "0");
}

TEST_CASE("a fleet's answer is not applied to a target rolled back and re-applied meanwhile: exit 5, named") {
  TestDatabase first;
  TestDatabase second;
  REQUIRE(migrate(first, {"run"}).exit_code == 0);
  REQUIRE(migrate(second, {"run"}).exit_code == 0);
  first.query("INSERT INTO users (email) VALUES ('a@example.com')");
  second.query("INSERT INTO users (email) VALUES ('b@example.com')");
  ScratchDirectory project("sonamu-fleet-prompt");
  std::ofstream(project.path() / "sonamu.config.json")
      << R"({ "fleets": { "tenants": { "targets": ["dbname=)" << first.name() << R"(", "dbname=)" << second.name()
      << R"("] } } })" << '\n';
  ProcessSpec spec{{SONAMU_BINARY, "migrate", "rollback", "--fleet", "tenants"}, project.string(),
                   {{"DATABASE_URL", std::nullopt}}};
  // Wide enough that no line of the report wraps.
  TerminalSession terminal(spec, 400);
  wait_until("the question", [&] { return terminal.screen().find("[y/N]") != std::string::npos; });
  CHECK_THAT(terminal.screen(), Catch::Contains(server_description(first.name()) + ":\n  ⚠ users: 1 row will be deleted\n"));

  // While it waits, another runner rolls the first target back and applies it again, and the
  // application writes two rows the question never showed.
  REQUIRE(migrate(first, {"rollback", "--yes"}).exit_code == 0);
  REQUIRE(migrate(first, {"run"}).exit_code == 0);
  first.query("INSERT INTO users (email) VALUES ('c@example.com'), ('d@example.com')");

  terminal.type("y");
  wait_until("the command to end", [&] { return terminal.ended(); });
  const std::string screen = terminal.screen();
  INFO(screen);
  CHECK(terminal.exit_status() == 5);
  CHECK_THAT(screen, Catch::Contains("\n" + server_description(first.name()) +
                                     ": ❌ The migrations to roll back changed while the confirmation was asked "
                                     "(another runner took the migration lock meanwhile): nothing was changed; run "
                                     "the command again\n"));
  CHECK_THAT(screen, Catch::EndsWith("\n1 rolled back, 1 failed\n"));
  // The first target as the other runner left it, its new rows kept; the second rolled back.
  CHECK(first.scalar("SELECT string_agg(email, ',' ORDER BY email) FROM users") == "c@example.com,d@example.com");
  std::string batch_one;
  for (const auto& name : bundled(".cpp")) batch_one += (batch_one.empty() ? "" : " ") + name + ":1";
  CHECK(recorded(first) == batch_one);
  CHECK(recorded(second) == "");
  CHECK(second.scalar("SELECT to_regclass('users') IS NULL") == "t");
}
