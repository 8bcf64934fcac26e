// A SQL migration file as a user writes it, built by the build step and run by the binary:
// statements as PostgreSQL's grammar ends them (a BEGIN ATOMIC body, a rule with two actions),
// applied and reverted, checked in the catalog.
#include "e2e.hpp"

#include <catch2/catch.hpp>

using namespace sonamu::test;

TEST_CASE("a SQL file with a BEGIN ATOMIC body and a two-action rule applies and reverts") {
  TestDatabase db;
  const auto run = migrate(db, {"run"}, SONAMU_FIXTURE_SQL_GRAMMAR);
  INFO(run.out << run.err);
  REQUIRE(run.exit_code == 0);
  CHECK(recorded(db) == "20240901000001_create_ledger.sql:1");
  // The SQL-standard body is stored parsed, as one function of two statements.
  CHECK(db.scalar("SELECT prosqlbody IS NOT NULL FROM pg_proc WHERE proname = 'doubled'") == "t");
  CHECK(db.scalar("SELECT \"doubled\"(21)") == "42");
  CHECK(db.scalar("SELECT \"labelled\"('x')") == "x; labelled");
  // The rule holds both actions: one insert logs the amount and counts it.
  CHECK(db.scalar("SELECT count(*) FROM pg_rewrite WHERE rulename = 'entries_logged'") == "1");
  db.query("INSERT INTO \"entries\" (\"amount\") VALUES (7)");
  CHECK(db.scalar("SELECT string_agg(\"amount\"::text, ',') FROM \"entry_log\"") == "7");
  CHECK(db.scalar("SELECT \"n\" FROM \"entry_count\"") == "1");
  CHECK(db.scalar("SELECT \"note\" FROM \"entries\"") == "it's; fine");

  const auto back = migrate(db, {"rollback", "--yes"}, SONAMU_FIXTURE_SQL_GRAMMAR);
  INFO(back.out << back.err);
  CHECK(back.exit_code == 0);
  CHECK(recorded(db).empty());
  CHECK(db.scalar("SELECT count(*) FROM pg_proc WHERE proname IN ('doubled', 'labelled')") == "0");
  CHECK(db.scalar("SELECT count(*) FROM pg_rewrite WHERE rulename = 'entries_logged'") == "0");
  CHECK_FALSE(db.has_table("entries"));
}
