// Bookkeeping rows no plan can be made from, lock rows and batch numbers at their limits,
// limits on every statement,
// table names PostgreSQL would cut short, and rollbacks that production guards.
#include "e2e.hpp"

#include "../support/held_table.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace sonamu::test;

TEST_CASE("two records of one migration stop every command (exit 4); forget deletes the newest only") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  // As two `mark`s racing behind a pooler left it: the first migration recorded again, newer.
  db.query("INSERT INTO knex_migrations (name, batch, migration_time)"
           " VALUES ('20251220143022_create__users.cpp', 2, now())");
  const std::string refusal =
      "Error: The migration table records these migrations more than once: "
      "20251220143022_create__users.cpp (ids 1, 3); `sonamu migrate forget NAME --yes` deletes the "
      "newest record of NAME\n";

  const auto rollback = migrate(db, {"rollback", "--yes"});
  CHECK(rollback.exit_code == 4);
  CHECK(rollback.err == refusal);
  CHECK(db.has_table("users"));
  CHECK(db.has_table("posts"));
  const auto status = migrate(db, {"status"});
  CHECK(status.exit_code == 4);
  CHECK(status.err == refusal);
  CHECK(migrate(db, {"run"}).exit_code == 4);

  const auto forget = migrate(db, {"forget", "20251220143022_create__users", "--yes"});
  CHECK(forget.exit_code == 0);
  CHECK(recorded(db) == "20251220143022_create__users.cpp:1 20251220143100_create__posts.cpp:2");
  CHECK(migrate(db, {"status"}).exit_code == 0);
  const auto after = migrate(db, {"rollback", "--yes"});
  CHECK(after.exit_code == 0);
  CHECK(db.has_table("users"));
  CHECK_FALSE(db.has_table("posts"));
}

TEST_CASE("a duplicate record under knex's .ts name is named as recorded, not as the compiled .cpp") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  // knex recorded the migration as .ts before the project moved to this tool, which recorded it again.
  db.query("INSERT INTO knex_migrations (name, batch, migration_time)"
           " VALUES ('20251220143022_create__users.ts', 2, now())");
  const auto status = migrate(db, {"status"});
  CHECK(status.exit_code == 4);
  CHECK(status.err == "Error: The migration table records these migrations more than once: "
                      "20251220143022_create__users.cpp (id 1) and 20251220143022_create__users.ts (id 2); "
                      "`sonamu migrate forget NAME --yes` deletes the newest record of NAME\n");
  const auto forget = migrate(db, {"forget", "20251220143022_create__users", "--yes"});
  CHECK(forget.exit_code == 0);
  CHECK(forget.out == "Forgot 20251220143022_create__users.ts (batch 2): its record was deleted; its down function "
                      "was not run\n");
  CHECK(recorded(db) == "20251220143022_create__users.cpp:1");
}

TEST_CASE("a record without a name is named by its id (exit 4)") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  db.query("INSERT INTO knex_migrations (name, batch, migration_time) VALUES (NULL, 1, now())");
  const auto status = migrate(db, {"status"});
  CHECK(status.exit_code == 4);
  CHECK(status.err == "Error: The migration table has records without a name (ids 2); delete them by hand\n");
}

TEST_CASE("a knex lock row at is_locked = NULL is unlocked, as knex reads it") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  db.query("UPDATE knex_migrations_lock SET is_locked = NULL");
  const auto run = migrate(db, {"up"});
  CHECK(run.exit_code == 0);
  CHECK(run.err.empty());
  CHECK(recorded(db) == "20251220143022_create__users.cpp:1 20251220143100_create__posts.cpp:2");
  CHECK(db.scalar("SELECT is_locked FROM knex_migrations_lock") == "0");
}

TEST_CASE("a lock row at another value than 1 is named as it is") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  db.query("UPDATE knex_migrations_lock SET is_locked = 2");
  const auto run = migrate(db, {"up"});
  CHECK(run.exit_code == 5);
  CHECK(run.err ==
        "Error: Migration table is already locked: public.knex_migrations_lock has is_locked = 2, "
        "left by another tool; if no migration is running, run `sonamu migrate unlock`\n");
}

TEST_CASE("unlock names the value the lock row had, 2 as well as 1") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  db.query("UPDATE knex_migrations_lock SET is_locked = 2");
  const auto unlock = migrate(db, {"unlock"});
  CHECK(unlock.exit_code == 0);
  CHECK(unlock.out == "Unlocked public.knex_migrations_lock: is_locked was 2, now 0\n");
  CHECK(db.scalar("SELECT string_agg(is_locked::text, ',') FROM knex_migrations_lock") == "0");
  CHECK(recorded(db) == "20251220143022_create__users.cpp:1");
}

TEST_CASE("a batch number at the integer limit is refused instead of wrapping around") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  db.query("UPDATE knex_migrations SET batch = 2147483647");
  const std::string refusal =
      "Error: The migration table's highest batch number is 2147483647, the largest its integer "
      "column holds; renumber the batches (keeping their order) before recording another\n";
  const auto up = migrate(db, {"up"});
  CHECK(up.exit_code == 4);
  CHECK(up.err == refusal);
  const auto mark = migrate(db, {"mark", "20251220143100_create__posts", "--yes"});
  CHECK(mark.exit_code == 4);
  CHECK(mark.err == refusal);
  CHECK(recorded(db) == "20251220143022_create__users.cpp:2147483647");
  CHECK_FALSE(db.has_table("posts"));
  // Rolling that batch back still works.
  const auto rollback = migrate(db, {"rollback", "--yes"});
  CHECK(rollback.exit_code == 0);
  CHECK(rollback.out == "Batch 2147483647 rolled back: 1 migration\n✅ 20251220143022_create__users.cpp\n");
}

TEST_CASE("a --table name whose derived names PostgreSQL would cut is refused (exit 2); 55 bytes work") {
  TestDatabase db;
  const std::string too_long(56, 't');
  const auto refused = migrate(db, {"run", "--table", too_long});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err == "Error: --table: the table name is 56 bytes; at most 55 fit, since PostgreSQL cuts "
                       "names at 63 bytes and " + too_long + "_history must stay distinct\n");
  CHECK(db.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == "0");

  const std::string longest(55, 't');
  CHECK(migrate(db, {"up", "--table", longest}).exit_code == 0);
  const auto again = migrate(db, {"up", "--table", longest});
  CHECK(again.exit_code == 0);
  CHECK(again.err.empty());
  CHECK(db.scalar("SELECT count(*) FROM \"" + longest + "\"") == "2");

  const auto empty = migrate(db, {"run", "--table", ""});
  CHECK(empty.exit_code == 2);
  CHECK(empty.err == "Error: --table: the table name is empty\n");
}

TEST_CASE("in production, a rollback of more than one batch needs --force, whatever its form") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  const auto steps = migrate(db, {"rollback", "--step", "1000000", "--yes", "--env", "production"});
  CHECK(steps.exit_code == 2);
  CHECK(steps.err == "Error: Refusing in production a rollback of 2 migrations from 2 batches: it reverts "
                     "more than the latest batch; pass --force if that is really intended\n");
  const auto to = migrate(db, {"rollback", "--to", "20251220143022_create__users", "--yes", "--env", "production"});
  CHECK(to.exit_code == 0);  // one batch: the guide's emergency rollback
  CHECK(recorded(db) == "20251220143022_create__users.cpp:1");
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  CHECK(db.has_table("users"));
  const auto forced =
      migrate(db, {"rollback", "--step", "1000000", "--yes", "--force", "--env", "production"});
  CHECK(forced.exit_code == 0);
  CHECK_FALSE(db.has_table("users"));
  CHECK(recorded(db).empty());
}

TEST_CASE("the count of the data a rollback deletes runs under --lock-timeout-sql") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  db.query(R"(INSERT INTO "users" ("email") VALUES ('a@example.com'))");
  HeldTable held(db, "users");
  const auto blocked = migrate(db, {"rollback", "--yes", "--lock-timeout-sql", "200ms"});
  // A statement of the tool's own given up at a limit: exit 5, as for every such statement.
  CHECK(blocked.exit_code == 5);
  CHECK(blocked.err == "Error: Stopped within the configured limits (--lock-timeout-sql, --statement-timeout): "
                       "canceling statement due to lock timeout\n");
  held.release();
  CHECK(recorded(db) == "20251220143022_create__users.cpp:1");
  CHECK(db.has_table("users"));
}

TEST_CASE("bookkeeping tables of another kind, type or layout are refused (exit 4), nothing created") {
  SECTION("knex_migrations is a view") {
    TestDatabase db;
    db.query("CREATE TABLE real_records (id serial, name varchar(255), batch integer, migration_time timestamptz)");
    db.query("CREATE VIEW knex_migrations AS SELECT * FROM real_records");
    for (const std::string command : {"run", "status", "rollback"}) {
      const auto result = migrate(db, {command});
      INFO(command);
      CHECK(result.exit_code == 4);
      CHECK(result.err == "Error: The relation public.knex_migrations is a view, not a bookkeeping table\n");
    }
    CHECK(db.scalar("SELECT to_regclass('knex_migrations_lock') IS NULL") == "t");
  }
  SECTION("a batch column of type text") {
    TestDatabase db;
    db.query("CREATE TABLE knex_migrations (id serial primary key, name varchar(255), batch text,"
             " migration_time timestamptz)");
    const auto result = migrate(db, {"run"});
    CHECK(result.exit_code == 4);
    CHECK(result.err == "Error: The column batch of public.knex_migrations is of type text, which the "
                        "bookkeeping cannot use\n");
    CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "0");
    CHECK(db.scalar("SELECT to_regclass('users') IS NULL") == "t");
  }
  SECTION("a knex_migrations_history of another layout") {
    TestDatabase db;
    REQUIRE(migrate(db, {"up"}).exit_code == 0);
    db.query("DROP TABLE knex_migrations_history");
    db.query("CREATE TABLE knex_migrations_history (id serial primary key, note text)");
    for (const std::string command : {"up", "history"}) {
      const auto result = migrate(db, {command});
      INFO(command);
      CHECK(result.exit_code == 4);
      CHECK(result.err == "Error: The table public.knex_migrations_history is not this tool's history table "
                          "(another layout); rename it, or choose another --table\n");
    }
    CHECK(recorded(db) == "20251220143022_create__users.cpp:1");
  }
}

TEST_CASE("names with control characters are shown escaped, never sent to the terminal raw") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  // A record edited by hand: a terminal escape sequence that would set the window title.
  db.query("INSERT INTO knex_migrations (name, batch, migration_time)"
           " VALUES (E'2025\\x1b]0;owned\\x07_evil.cpp', 2, now())");
  const auto status = migrate(db, {"status"});
  CHECK(status.exit_code == 4);
  CHECK(status.err.find('\x1b') == std::string::npos);
  CHECK(status.err.find('\x07') == std::string::npos);
  CHECK(status.err == "Error: The migration directory is corrupt, the following files are missing: "
                      "2025\\x1b]0;owned\\x07_evil.cpp\n");

  // A file in the migrations folder with one in its name: the stale-binary warning of status
  // (the record above then stops it, exit 4), and the refusal of run.
  const ScratchDirectory project("sonamu-escape-name");
  std::filesystem::create_directory(project.path() / "migrations");
  std::ofstream(project.path() / "migrations" / "20260101000000_\x1b[31mred.cpp") << "\n";
  const auto stale = run_migrate(ProcessSpec{{SONAMU_BINARY, "migrate", "status", "-c", db.conninfo()},
                                             project.string(),
                                             {{"DATABASE_URL", std::nullopt}}});
  CHECK(stale.exit_code == 4);
  CHECK(stale.err.find('\x1b') == std::string::npos);
  CHECK_THAT(stale.err, Catch::Contains("Warning: These migration files in migrations are not compiled into this "
                                        "binary: 20260101000000_\\x1b[31mred.cpp"));
  const auto refused = run_migrate(ProcessSpec{{SONAMU_BINARY, "migrate", "run", "-c", db.conninfo()},
                                               project.string(),
                                               {{"DATABASE_URL", std::nullopt}}});
  CHECK(refused.exit_code == 4);
  CHECK(refused.err.find('\x1b') == std::string::npos);
  CHECK_THAT(refused.err, Catch::Contains("20260101000000_\\x1b[31mred.cpp"));
}

TEST_CASE("the records are read under --lock-timeout-sql: a session holding the table means exit 5") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  HeldTable held(db, "knex_migrations");
  const auto result = migrate(db, {"run", "--lock-timeout-sql", "1s"});
  held.release();
  CHECK(result.exit_code == 5);
  CHECK(result.err == "Error: Could not read public.knex_migrations within the configured limits "
                      "(--lock-timeout-sql, --statement-timeout): another session holds it (canceling "
                      "statement due to lock timeout)\n");
  CHECK(recorded(db) == "20251220143022_create__users.cpp:1");
  CHECK(db.scalar("SELECT is_locked FROM knex_migrations_lock") == "0");
}
