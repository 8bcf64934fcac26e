// verify checks data, not only the catalog: the rows present are compared after up and down,
// a declared loss stays green, large tables are sampled or left out, irreversible migrations
// that are applied are skipped.
#include "e2e.hpp"

#include "../support/blocker.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace sonamu::test;

namespace {

/// The first migration of the lossy fixture applied, its tables holding two users and a code.
void users_with_data(const TestDatabase& db) {
  REQUIRE(migrate(db, {"run", "--to", "20240801000001_create_users"}, SONAMU_FIXTURE_LOSSY).exit_code == 0);
  db.query(R"(INSERT INTO "users" ("age", "note", "nickname") VALUES ('025', 'hello', 'Ann'), ('7', 'x', 'bob'))");
  db.query(R"(INSERT INTO "codes" VALUES ('007'))");
}

/// What verify says on stderr before it runs anything, at the default limits.
const std::string verify_notice =
    "Verify runs up, down and up in one transaction and keeps every lock they take until it ends (ACCESS EXCLUSIVE "
    "for most schema changes): queries of those tables wait meanwhile. Each statement waits at most 5s for a lock "
    "(lock_timeout) and runs without a time limit (--statement-timeout sets one).\n";

const std::string declare_hint =
    "   If the loss is intended, declare it in the down: sonamu::lossy(knex, \"why\"), or in a SQL file "
    "'-- sonamu:lossy why'\n";

}  // namespace

TEST_CASE("verify reports the values a down does not give back, and changes nothing") {
  TestDatabase db;
  users_with_data(db);
  const auto result = migrate(db, {"verify"}, SONAMU_FIXTURE_LOSSY);
  CHECK(result.exit_code == 1);
  // By primary key for users (the row is named by its value before and after); as a multiset
  // of values for codes, which has no key.
  CHECK(result.err == verify_notice + "❌ 20240801000002_age_to_integer.cpp: down does not restore the data\n"
                      "   codes.code: 1 of 1 value differ, '007' → '7'\n"
                      "   users.age: 1 of 2 values differ, '025' → '25'\n" +
                          declare_hint);
  // The migrations after it were not reached: each is named.
  const std::string not_reached = ": not verified, 20240801000002_age_to_integer.cpp failed before it\n";
  CHECK(result.out == "Skipped 20240801000003_drop_note.sql" + not_reached + "Skipped 20240801000004_lower_nicknames.cpp" +
                          not_reached + "Skipped 20240801000005_purge.cpp" + not_reached +
                          "Verify: nothing was changed\n");
  CHECK(db.scalar(R"(SELECT string_agg("age", ',' ORDER BY "id") FROM "users")") == "025,7");
  CHECK(recorded(db) == "20240801000001_create_users.cpp:1");
}

TEST_CASE("a down declared lossy lists what differs and stays green, in C++ and in a SQL file") {
  TestDatabase db;
  users_with_data(db);
  const auto sql = migrate(db, {"verify", "20240801000003_drop_note"}, SONAMU_FIXTURE_LOSSY);
  CHECK(sql.exit_code == 0);
  CHECK(sql.err == verify_notice);
  CHECK(sql.out == "✅ 20240801000003_drop_note.sql: down restores the schema (up, down, up)\n"
                   "   declared lossy (the notes are gone for good): users.note: 2 of 2 values differ, 'hello' → NULL\n"
                   "Verify: nothing was changed\n");
  const auto cpp = migrate(db, {"verify", "20240801000004_lower_nicknames"}, SONAMU_FIXTURE_LOSSY);
  CHECK(cpp.exit_code == 0);
  CHECK(cpp.out == "✅ 20240801000004_lower_nicknames.cpp: down restores the schema (up, down, up)\n"
                   "   declared lossy (the case of nicknames is not kept): users.nickname: 1 of 2 values differ, "
                   "'Ann' → 'ann'\n"
                   "Verify: nothing was changed\n");
  CHECK(db.scalar(R"(SELECT string_agg("nickname", ',' ORDER BY "id") FROM "users")") == "Ann,bob");
}

TEST_CASE("above the size limit verify compares a sample by primary key and says so") {
  TestDatabase db;
  users_with_data(db);
  const auto result = run_migrate(migrate_spec(db, {"verify", "20240801000004_lower_nicknames"}, SONAMU_FIXTURE_LOSSY,
                                               {{"SONAMU_EXACT_COUNT_BYTES", "100"}}));
  CHECK(result.exit_code == 0);
  CHECK(result.out ==
        "✅ 20240801000004_lower_nicknames.cpp: down restores the schema (up, down, up)\n"
        "   declared lossy (the case of nicknames is not kept): users.nickname: 1 of 2 sampled values differ, "
        "'Ann' → 'ann'\n"
        "   codes: not compared (above the 100 bytes exact limit, and no primary key to pair sampled rows by)\n"
        "   users: compared on a sample (its first 10000 rows at most; the table is above the 100 bytes exact "
        "limit)\n"
        "Verify: nothing was changed\n");
}

TEST_CASE("verify --all skips an applied irreversible migration, as a pending one") {
  TestDatabase db;
  REQUIRE(migrate(db, {"run"}, SONAMU_FIXTURE_LOSSY).exit_code == 0);
  const auto result = migrate(db, {"verify", "--all"}, SONAMU_FIXTURE_LOSSY);
  // Nothing was verified: that is no pass, and no "Already up to date" (a run's words).
  CHECK(result.exit_code == 1);
  CHECK(result.err == "Error: verify checked no migration: each one it reached was skipped\n");
  CHECK(result.out == "Skipped 20240801000005_purge.cpp: irreversible: purged rows cannot be restored; it and the "
                      "4 older migrations stay applied and are not verified\n"
                      "Verify: nothing was changed\n");
  CHECK(recorded(db) == "20240801000001_create_users.cpp:1 20240801000002_age_to_integer.cpp:1 "
                        "20240801000003_drop_note.sql:1 20240801000004_lower_nicknames.cpp:1 "
                        "20240801000005_purge.cpp:1");
}

TEST_CASE("verify says first that it keeps its locks, runs under the configured limits, and needs --force in production") {
  TestDatabase db;
  REQUIRE(migrate(db, {"run", "--to", "20240201000001_create_slow_a"}, SONAMU_FIXTURE_SLOW).exit_code == 0);
  ScratchDirectory project("sonamu-verify-limits");
  std::ofstream(project.path() / "sonamu.config.json")
      << R"({"environments": {"development": {"lockTimeoutSql": "1s", "statementTimeout": "2s"}, "production": {}}})";
  const auto verify = [&](std::vector<std::string> args, const std::map<std::string, std::optional<std::string>>& env) {
    ProcessSpec spec = migrate_spec(db, std::move(args), SONAMU_FIXTURE_SLOW, env);
    spec.cwd = project.string();
    return run_migrate(spec);
  };
  const std::string notice =
      "Verify runs up, down and up in one transaction and keeps every lock they take until it ends (ACCESS "
      "EXCLUSIVE for most schema changes): queries of those tables wait meanwhile. Each statement waits at most 1s "
      "for a lock (lock_timeout) and runs at most 2s (statement_timeout).\n";
  const std::string unchanged = "20240201000001_create_slow_a.cpp:1";

  // statementTimeout ends a statement that runs longer.
  const auto slow = verify({"verify", "20240201000002_sleepy"}, {{"SONAMU_TEST_SLEEP_UP", "30"}});
  INFO(slow.err);
  CHECK(slow.exit_code == 1);
  CHECK_THAT(slow.err, Catch::StartsWith(notice + "❌ Error running 20240201000002_sleepy.cpp\n"
                                                  "   Error: canceling statement due to statement timeout\n"));
  CHECK_FALSE(db.has_table("sleepy"));

  // lockTimeoutSql ends the wait for an application's lock; the notice came before it.
  {
    Blocker blocker(db, R"(LOCK TABLE "slow_a" IN ACCESS SHARE MODE)");
    const auto locked = verify({"verify", "20240201000003_create_slow_c"}, {});
    INFO(locked.err);
    CHECK(locked.exit_code == 1);
    CHECK_THAT(locked.err, Catch::StartsWith(notice + "❌ Error running 20240201000003_create_slow_c.cpp\n"
                                                      "   Error: canceling statement due to lock timeout\n"));
    blocker.release();
  }
  CHECK_FALSE(db.has_table("slow_c"));

  // Production: refused before anything runs, exit 2; --force runs it, the notice first.
  const auto refused = verify({"verify", "--env", "production"}, {});
  CHECK(refused.exit_code == 2);
  CHECK(refused.out.empty());
  CHECK(refused.err ==
        "Error: Refusing `verify` in production: it keeps the locks its migrations take (ACCESS EXCLUSIVE for most "
        "schema changes) until it ends, and the application's queries of those tables wait; pass --force if that is "
        "really intended\n");
  const auto forced = verify({"verify", "20240201000002_sleepy", "--env", "production", "--force"}, {});
  INFO(forced.err);
  CHECK(forced.exit_code == 0);
  CHECK(forced.err == "Verify runs up, down and up in one transaction and keeps every lock they take until it ends "
                      "(ACCESS EXCLUSIVE for most schema changes): queries of those tables wait meanwhile. Each "
                      "statement waits at most 5s for a lock (lock_timeout) and runs without a time limit "
                      "(--statement-timeout sets one).\n");
  CHECK(forced.out == "✅ 20240201000002_sleepy.cpp: down restores the schema (up, down, up)\nVerify: nothing was "
                      "changed\n");
  CHECK(recorded(db) == unchanged);
  CHECK_FALSE(db.has_table("sleepy"));
}
