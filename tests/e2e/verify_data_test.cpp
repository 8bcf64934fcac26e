// verify checks data, not only the catalog: the rows present are compared after up and down,
// a declared loss stays green, large tables are sampled or left out, irreversible migrations
// that are applied are skipped.
#include "e2e.hpp"

#include <catch2/catch.hpp>

using namespace sonamu::test;

namespace {

/// The first migration of the lossy fixture applied, its tables holding two users and a code.
void users_with_data(const TestDatabase& db) {
  REQUIRE(migrate(db, {"run", "--to", "20240801000001_create_users"}, SONAMU_FIXTURE_LOSSY).exit_code == 0);
  db.query(R"(INSERT INTO "users" ("age", "note", "nickname") VALUES ('025', 'hello', 'Ann'), ('7', 'x', 'bob'))");
  db.query(R"(INSERT INTO "codes" VALUES ('007'))");
}

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
  CHECK(result.err == "❌ 20240801000002_age_to_integer.cpp: down does not restore the data\n"
                      "   codes.code: 1 of 1 value differ, '007' → '7'\n"
                      "   users.age: 1 of 2 values differ, '025' → '25'\n" +
                          declare_hint);
  CHECK(result.out == "Verify: nothing was changed\n");
  CHECK(db.scalar(R"(SELECT string_agg("age", ',' ORDER BY "id") FROM "users")") == "025,7");
  CHECK(recorded(db) == "20240801000001_create_users.cpp:1");
}

TEST_CASE("a down declared lossy lists what differs and stays green, in C++ and in a SQL file") {
  TestDatabase db;
  users_with_data(db);
  const auto sql = migrate(db, {"verify", "20240801000003_drop_note"}, SONAMU_FIXTURE_LOSSY);
  CHECK(sql.exit_code == 0);
  CHECK(sql.err.empty());
  CHECK(sql.out == "✅ 20240801000003_drop_note.cpp: down restores the schema (up, down, up)\n"
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
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
  CHECK(result.out == "Skipped 20240801000005_purge.cpp: irreversible: purged rows cannot be restored; it and the "
                      "4 older migrations stay applied and are not verified\n"
                      "Already up to date\n"
                      "Verify: nothing was changed\n");
  CHECK(recorded(db) == "20240801000001_create_users.cpp:1 20240801000002_age_to_integer.cpp:1 "
                        "20240801000003_drop_note.cpp:1 20240801000004_lower_nicknames.cpp:1 "
                        "20240801000005_purge.cpp:1");
}
