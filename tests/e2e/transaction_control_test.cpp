// Migrations that would begin or end the transaction they run in: refused before anything is
// sent; what slips past the parser is stopped right after it, with knex's lock row reset. The
// database is checked each time: records, lock row, tables.
#include "e2e.hpp"

#include <catch2/catch.hpp>

using namespace sonamu::test;

namespace {

const std::string first = "20240801000001_create_first.cpp";
const std::string second = "20240801000002_run_given_sql.cpp";

MigrateResult migrate_with(const TestDatabase& db, std::vector<std::string> args,
                           const std::map<std::string, std::optional<std::string>>& env) {
  return run_migrate(migrate_spec(db, std::move(args), SONAMU_FIXTURE_TXCTL, env));
}

/// knex's lock row ("<no table>" without the table).
std::string lock_row(const TestDatabase& db) {
  if (!db.has_table("knex_migrations_lock")) return "<no table>";
  return db.scalar("SELECT string_agg(is_locked::text, ',') FROM knex_migrations_lock");
}

std::string refused(const std::string& statement, const std::string& what) {
  return "❌ Error running " + second + "\n   Error: `" + statement + "` would " + what +
         "; a migration that runs in a transaction may not begin, commit or roll back one (a migration "
         "that controls its own transactions runs without one: `-- migrate:up transaction:false`, "
         "SONAMU_MIGRATION_WITHOUT_TRANSACTION); it was not sent\n";
}

}  // namespace

TEST_CASE("knex.raw(\"COMMIT\") is refused before it is sent: a later failure leaves nothing behind") {
  TestDatabase db;
  const auto result = migrate_with(db, {"run"}, {{"SONAMU_TEST_SQL", "COMMIT"}, {"SONAMU_TEST_FAIL", "1"}});
  CHECK(result.exit_code == 1);
  CHECK(result.err == refused("COMMIT", "end the migration's transaction"));
  CHECK_FALSE(db.has_table("first_table"));
  CHECK_FALSE(db.has_table("second_table"));
  CHECK(recorded(db).empty());
  CHECK(lock_row(db) == "0");
  // The next command is not locked out.
  CHECK(migrate(db, {"status"}, SONAMU_FIXTURE_TXCTL).exit_code == 0);
}

TEST_CASE("every statement that begins or ends the transaction is refused, END and AND CHAIN too") {
  TestDatabase db;
  for (const auto& [statement, what] : std::vector<std::pair<std::string, std::string>>{
           {"ROLLBACK", "end the migration's transaction"},
           {"end", "end the migration's transaction"},
           {"COMMIT AND CHAIN", "end the migration's transaction"},
           {"ABORT", "end the migration's transaction"},
           {"PREPARE TRANSACTION 'x'", "end the migration's transaction"},
           {"BEGIN", "start a transaction inside the migration's own"},
           {"START TRANSACTION", "start a transaction inside the migration's own"}}) {
    INFO(statement);
    const auto result = migrate_with(db, {"run"}, {{"SONAMU_TEST_SQL", "SELECT 1; " + statement}});
    CHECK(result.exit_code == 1);
    CHECK(result.err == refused(statement, what));
    CHECK_FALSE(db.has_table("first_table"));
    CHECK(recorded(db).empty());
    CHECK(lock_row(db) == "0");
  }
}

TEST_CASE("a migration's own savepoints are allowed; releasing one it did not create is refused") {
  TestDatabase db;
  const auto outside = migrate_with(db, {"run"}, {{"SONAMU_TEST_SQL", "RELEASE SAVEPOINT sonamu_lock_wait"}});
  CHECK(outside.exit_code == 1);
  CHECK(outside.err == "❌ Error running " + second +
                           "\n   Error: `RELEASE SAVEPOINT sonamu_lock_wait` names a savepoint this migration "
                           "did not create: it would reach outside the migration, into the transaction the tool "
                           "runs it in; it was not sent\n");
  CHECK_FALSE(db.has_table("first_table"));
  CHECK(recorded(db).empty());

  const auto own = migrate_with(
      db, {"run"}, {{"SONAMU_TEST_SQL", "SAVEPOINT mine; CREATE TABLE gone (id int); ROLLBACK TO SAVEPOINT mine; "
                                        "RELEASE SAVEPOINT mine"}});
  CHECK(own.exit_code == 0);
  CHECK(db.has_table("second_table"));
  CHECK_FALSE(db.has_table("gone"));
  CHECK(lock_row(db) == "0");
}

TEST_CASE("ROLLBACK on a fresh database is refused: the bookkeeping tables stay") {
  TestDatabase db;
  const auto result = migrate_with(db, {"run"}, {{"SONAMU_TEST_SQL", "ROLLBACK"}});
  CHECK(result.exit_code == 1);
  CHECK(result.err == refused("ROLLBACK", "end the migration's transaction"));
  CHECK(recorded(db).empty());
  CHECK(lock_row(db) == "0");
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations_history WHERE name = $1 AND NOT success", second) == "1");
}

TEST_CASE("dry runs, lint and verify never commit: COMMIT in a migration leaves nothing behind") {
  TestDatabase db;
  const std::map<std::string, std::optional<std::string>> commit{{"SONAMU_TEST_SQL", "COMMIT"}};
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"run", "--dry-run"}, {"run", "--to", "20240801000002_run_given_sql", "--dry-run"}, {"lint"}, {"verify"}}) {
    INFO(args.front() + " " + args.back());
    const auto result = migrate_with(db, args, commit);
    CHECK(result.exit_code != 0);
    CHECK_THAT(result.out + result.err, Catch::Contains("`COMMIT` would end the migration's transaction"));
    CHECK_FALSE(db.has_table("first_table"));
    CHECK_FALSE(db.has_table("second_table"));
    CHECK(recorded(db) == "<no table>");
    CHECK(lock_row(db) == "<no table>");
  }

  REQUIRE(migrate(db, {"run", "--to", "20240801000001_create_first"}, SONAMU_FIXTURE_TXCTL).exit_code == 0);
  const auto up = migrate_with(db, {"up", "--dry-run"}, commit);
  CHECK(up.exit_code == 1);
  CHECK_FALSE(db.has_table("second_table"));
  CHECK(recorded(db) == first + ":1");
  CHECK(lock_row(db) == "0");
}

TEST_CASE("a statement that ends the transaction unseen by the parser stops the command; the lock row is reset") {
  // With standard_conforming_strings off the server reads '\'' as a quote inside a string, the
  // parser (on, PostgreSQL's default) as an unterminated string: the text does not parse, so it
  // is sent, and the COMMIT in it is found only by the transaction status after it.
  TestDatabase db;
  const auto result = migrate_with(db, {"run"},
                                   {{"SONAMU_TEST_NONSTANDARD_STRINGS", "1"},
                                    {"SONAMU_TEST_SQL", R"(SELECT '\''; COMMIT; SELECT '\'')"},
                                    {"SONAMU_TEST_FAIL", "1"}});
  CHECK(result.exit_code == 1);
  CHECK(result.err == "❌ Error running " + second +
                          "\n   Error: `SELECT '\\''; COMMIT; SELECT '\\''` ended the migration's transaction (the "
                          "server had no transaction open after it): what the batch ran before it may have been "
                          "committed or rolled back, without any record of it; the command stopped there; knex's "
                          "lock row, committed at is_locked = 1 with it, was reset to 0\n");
  // The COMMIT took the first migration with it: said, not hidden. Nothing after it ran.
  CHECK(db.has_table("first_table"));
  CHECK_FALSE(db.has_table("second_table"));
  CHECK_FALSE(db.has_table("third_table"));
  CHECK(recorded(db).empty());
  CHECK(lock_row(db) == "0");
  CHECK(migrate(db, {"status"}, SONAMU_FIXTURE_TXCTL).exit_code == 0);
}

TEST_CASE("a migration without a transaction may commit its own, never leave one open") {
  TestDatabase db;
  const auto left_open = migrate_with(db, {"run"},
                                      {{"SONAMU_TEST_OWN_TRANSACTION_SQL", "BEGIN; CREATE TABLE fourth_table (id int)"}});
  CHECK(left_open.exit_code == 1);
  CHECK(left_open.err ==
        "❌ Error running 20240801000004_without_transaction.cpp\n"
        "   Error: it left a transaction open (BEGIN without COMMIT): what ran since that BEGIN was rolled back\n"
        "Batch 1 partly applied: recorded as applied: 20240801000001_create_first.cpp, "
        "20240801000002_run_given_sql.cpp, 20240801000003_maybe_fail.cpp; not applied: "
        "20240801000004_without_transaction.cpp\n");
  CHECK_FALSE(db.has_table("fourth_table"));
  CHECK(recorded(db) == first + ":1 " + second + ":1 20240801000003_maybe_fail.cpp:1");

  const auto committed = migrate_with(
      db, {"run"}, {{"SONAMU_TEST_OWN_TRANSACTION_SQL", "BEGIN; CREATE TABLE fourth_table (id int); COMMIT"}});
  CHECK(committed.exit_code == 0);
  CHECK(db.has_table("fourth_table"));
  CHECK(recorded(db) == first + ":1 " + second + ":1 20240801000003_maybe_fail.cpp:1 "
                            "20240801000004_without_transaction.cpp:2");
  CHECK(lock_row(db) == "0");
}
