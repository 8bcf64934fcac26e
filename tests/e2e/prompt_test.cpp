// The confirmation question of a rollback that deletes data: while it waits the tool holds no
// lock at all (no transaction, no migration lock), Ctrl-C there ends the command with 130, and
// an answer given while another runner changed the records is not applied to the new ones.
#include "../support/wait_until.hpp"
#include "e2e.hpp"
#include "prompted_rollback.hpp"

#include <catch2/catch.hpp>

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
