// `migrate lint` on real PostgreSQL: each rule on a table with data (the size threshold
// lowered to one byte), with the lock mode and the rewrite PostgreSQL reported for each
// statement compared exactly; the bundled migrations report clean; --fail-on exit codes; the
// database is left as it was.
#include "e2e.hpp"

#include "../support/lint_report.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <regex>

using namespace sonamu::test;
using json = nlohmann::json;

namespace {

/// The tables the fixture's migrations alter, each with 1,000 rows and statistics.
void create_tables(const TestDatabase& db) {
  std::string sql = R"(CREATE TABLE "t_ref" ("id" integer primary key);
                       INSERT INTO "t_ref" SELECT g FROM generate_series(1, 1000) g;)";
  for (const char* name : {"t_index", "t_fk", "t_null", "t_type", "t_default", "t_drop", "t_rename", "t_data", "t_check", "t_safe"}) {
    sql += std::string("CREATE TABLE \"") + name + "\" (\"id\" serial primary key, \"v\" integer);" +
           "INSERT INTO \"" + name + "\" (\"v\") SELECT g FROM generate_series(1, 1000) g;";
  }
  db.query(sql);
  db.query("ANALYZE");
}

/// "table:LockMode:rewritten" of each effect of each statement of migration `index`.
std::vector<std::string> effects(const json& report, std::size_t index) {
  std::vector<std::string> found;
  for (const auto& statement : report["migrations"][index]["statements"]) {
    for (const auto& effect : statement["effects"]) {
      found.push_back(effect["table"].get<std::string>() + ":" + effect["lock_mode"].get<std::string>() + ":" +
                      (effect["rewritten"].get<bool>() ? "rewritten" : "kept"));
    }
  }
  return found;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("lint: each risky form, with the lock mode and rewrite PostgreSQL reports") {
  TestDatabase db;
  create_tables(db);
  const auto result = migrate(db, {"lint", "--json", "--large-table", "1"}, SONAMU_FIXTURE_RISKY);
  INFO(result.out << result.err);
  CHECK(result.exit_code == 0);
  const auto report = json::parse(result.out);
  REQUIRE(report["migrations"].size() == 10);
  CHECK(report["migrations"][0]["name"] == "20240401000001_index_plain.cpp");
  CHECK(effects(report, 0) == Strings{"t_index:ShareLock:kept"});
  CHECK(findings(report, 0) == Strings{"index-not-concurrent t_index"});
  // A foreign key locks both tables, in SHARE ROW EXCLUSIVE mode.
  CHECK(effects(report, 1) == Strings{"t_ref:ShareRowExclusiveLock:kept", "t_fk:ShareRowExclusiveLock:kept"});
  CHECK(findings(report, 1) == Strings{"constraint-validated-at-once t_fk"});
  CHECK(effects(report, 2) == Strings{"t_null:AccessExclusiveLock:kept"});
  CHECK(findings(report, 2) == Strings{"set-not-null t_null"});
  CHECK(effects(report, 3) == Strings{"t_type:AccessExclusiveLock:rewritten"});
  CHECK(findings(report, 3) == Strings{"type-change-rewrite t_type"});
  // A constant default is stored in the catalog; a volatile one is computed for every row.
  CHECK(effects(report, 4) == Strings{"t_default:AccessExclusiveLock:kept", "t_default:AccessExclusiveLock:rewritten"});
  CHECK(findings(report, 4) == Strings{"add-column-rewrite t_default"});
  CHECK(effects(report, 5) == Strings{"t_drop:AccessExclusiveLock:kept"});
  CHECK(findings(report, 5) == Strings{"drop-column t_drop"});
  CHECK(effects(report, 6) == Strings{"t_rename:AccessExclusiveLock:kept"});
  CHECK(findings(report, 6) == Strings{"rename-column t_rename"});
  CHECK(effects(report, 7) == Strings{"t_data:RowExclusiveLock:kept", "t_data:AccessExclusiveLock:kept"});
  CHECK(findings(report, 7) == Strings{"data-with-ddl t_data"});
  // The safe form: no warning, though the lock is still measured.
  CHECK(effects(report, 8) == Strings{"t_check:AccessExclusiveLock:kept"});
  CHECK(findings(report, 8).empty());
  // The safe rewrite of a type change: a new column without a default, no rewrite.
  CHECK(effects(report, 9) == Strings{"t_safe:AccessExclusiveLock:kept"});
  CHECK(findings(report, 9).empty());
  CHECK(report["warnings"] == 8);
  const auto& measured = report["migrations"][3]["statements"][0]["effects"][0];
  CHECK(measured["rows"] == 1000);
  CHECK(std::to_string(measured["bytes"].get<long long>()) ==
        db.scalar("SELECT pg_total_relation_size('t_type')"));

  // Nothing changed: no bookkeeping table, the column still an integer, no index.
  CHECK(recorded(db) == "<no table>");
  CHECK(db.scalar("SELECT data_type FROM information_schema.columns WHERE table_name = 't_type' AND column_name = "
                  "'v'") == "integer");
  CHECK(db.scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 't_index_v'") == "0");
}

TEST_CASE("lint: the text report names each statement's locks and rewrites, then the safe alternative") {
  TestDatabase db;
  create_tables(db);
  const auto result = migrate(db, {"lint", "--large-table", "1"}, SONAMU_FIXTURE_RISKY);
  INFO(result.out);
  CHECK(result.exit_code == 0);
  CHECK(std::regex_search(
      result.out,
      std::regex("\n20240401000004_type_change\\.cpp\n"
                 "  ALTER TABLE \"t_type\" ALTER COLUMN \"v\" TYPE bigint — rewrites t_type \\([0-9]+ kB, ~1,000 "
                 "rows\\) under ACCESS EXCLUSIVE lock\n"
                 "    ⚠ type-change-rewrite: changing the type of \"t_type\".\"v\" rewrites t_type \\([0-9]+ kB, "
                 "~1,000 rows\\) under ACCESS EXCLUSIVE lock: add a column of the new type, backfill it in batches, "
                 "switch the application to it, then drop the old one\n")));
  CHECK_THAT(result.out, Catch::Contains("\n20240401000009_check_not_valid.cpp\n  ALTER TABLE \"t_check\" ADD "
                                         "CONSTRAINT \"t_check_v\" CHECK (\"v\" > 0) NOT VALID — locks t_check ("));
  CHECK(std::regex_search(result.out, std::regex("\n20240401000010_safe_add_column\\.cpp\n"
                                                 "  ALTER TABLE \"t_safe\" ADD COLUMN \"v_big\" bigint — locks t_safe "
                                                 "\\([0-9]+ kB, ~1,000 rows\\) in ACCESS EXCLUSIVE mode\n"
                                                 "Lint: 8 warnings\n$")));
}

TEST_CASE("lint: --fail-on warning exits 1 for CI; the threshold and rules are configurable") {
  TestDatabase db;
  create_tables(db);
  CHECK(migrate(db, {"lint", "--large-table", "1", "--fail-on", "warning"}, SONAMU_FIXTURE_RISKY).exit_code == 1);
  // At the default threshold (10 MB) these tables are small: only the column rules remain, and
  // the index built under lock on a table with rows, whatever its size.
  const auto small = migrate(db, {"lint", "--json", "--fail-on", "warning"}, SONAMU_FIXTURE_RISKY);
  CHECK(small.exit_code == 1);
  CHECK(json::parse(small.out)["warnings"] == 3);
  const auto off = migrate(db, {"lint", "--fail-on", "warning", "--disable", "drop-column", "--disable", "rename-column",
                                "--disable", "index-not-concurrent"},
                           SONAMU_FIXTURE_RISKY);
  CHECK(off.exit_code == 0);
  CHECK_THAT(off.out, Catch::EndsWith("Lint: no warnings\n"));
  const auto unknown = migrate(db, {"lint", "--disable", "no-such-rule"}, SONAMU_FIXTURE_RISKY);
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::StartsWith("Error: Unknown lint rule 'no-such-rule' (rules: index-not-concurrent, "));
}

TEST_CASE("lint: the bundled example migrations report clean") {
  TestDatabase db;
  const auto fresh = migrate(db, {"lint", "--fail-on", "warning"});
  INFO(fresh.out);
  CHECK(fresh.exit_code == 0);
  std::string expected = "Lint of 6 pending migrations, rehearsed in a transaction that was rolled back (large "
                         "tables: 10485760 bytes or more)\n";
  for (const auto& name : bundled(".cpp")) expected += name + "\n  no lock on a table that existed before\n";
  CHECK(fresh.out == expected + "Lint: no warnings\n");
  // Half applied: the rest alters tables that now exist.
  REQUIRE(migrate(db, {"run", "--to", "20251220143100_create__posts"}).exit_code == 0);
  const auto half = migrate(db, {"lint", "--fail-on", "warning"});
  INFO(half.out);
  CHECK(half.exit_code == 0);
  CHECK_THAT(half.out, Catch::EndsWith("Lint: no warnings\n"));
  CHECK_THAT(half.out, Catch::Contains("— locks users ("));
}

TEST_CASE("lint: knex's unique() and index() on a table with rows, however small: the lock and the time measured") {
  // The verify fixture: things created, then a unique constraint and an index added to it.
  const auto with_things = [](const TestDatabase& db, int rows) {
    REQUIRE(migrate(db, {"run", "--to", "20240601000001_create_things"}, SONAMU_FIXTURE_VERIFY).exit_code == 0);
    db.query(R"(INSERT INTO "things" ("code", "note") SELECT 'c' || g, 'n' || g FROM generate_series(1, )" +
             std::to_string(rows) + ") g");
  };
  TestDatabase db;
  with_things(db, 5000);
  const auto text = migrate(db, {"lint"}, SONAMU_FIXTURE_VERIFY);
  INFO(text.out << text.err);
  CHECK(text.exit_code == 0);
  const std::string table = "things \\([0-9]+ kB, (rows not yet counted|~[0-9,]+ rows)\\)";
  CHECK(std::regex_search(
      text.out,
      std::regex("\n20240601000002_unique_left\\.cpp\n"
                 "  ALTER TABLE \"things\" ADD CONSTRAINT \"things_code_unique\" UNIQUE \\(\"code\"\\) — locks " +
                 table + " in ACCESS EXCLUSIVE mode\n"
                 "    ⚠ index-not-concurrent: ADD UNIQUE built its index on " + table +
                 " under ACCESS EXCLUSIVE lock for [0-9.]+ m?s in the rehearsal; every query of the table waits as "
                 "long: build the index with CREATE UNIQUE INDEX CONCURRENTLY in a migration without a transaction, "
                 "then ADD CONSTRAINT \\.\\.\\. UNIQUE USING INDEX\n")));
  // The rehearsal is one transaction: the index of the next migration is built under the lock
  // the unique constraint took, and said so.
  CHECK(std::regex_search(
      text.out,
      std::regex("\n20240601000003_index_left\\.cpp\n"
                 "  CREATE INDEX \"things_note_index\" ON \"things\" \\(\"note\"\\)\n"
                 "    ⚠ index-not-concurrent: CREATE INDEX built its index on " + table +
                 " under the lock an earlier statement took for [0-9.]+ m?s in the rehearsal; every write to the "
                 "table waits as long: use CREATE INDEX CONCURRENTLY, in a migration without a transaction "
                 "\\(SONAMU_MIGRATION_WITHOUT_TRANSACTION\\)\n")));
  CHECK_THAT(text.out, Catch::EndsWith("Lint: 2 warnings\n"));
  // --json: the statement's measured time, and the same findings.
  const auto document = migrate(db, {"lint", "--json"}, SONAMU_FIXTURE_VERIFY);
  const auto report = json::parse(document.out);
  CHECK(findings(report, 0) == Strings{"index-not-concurrent things"});
  CHECK(findings(report, 1) == Strings{"index-not-concurrent things"});
  CHECK(report["migrations"][0]["statements"][0]["duration_ms"].is_number_integer());
  // Nothing changed: no constraint, no index.
  CHECK(db.scalar("SELECT count(*) FROM pg_indexes WHERE tablename = 'things'") == "1");
  CHECK(recorded(db) == "20240601000001_create_things.cpp:1");

  // The same table without a row: nothing is read under the lock, no warning.
  TestDatabase empty;
  with_things(empty, 0);
  const auto clean = migrate(empty, {"lint", "--fail-on", "warning"}, SONAMU_FIXTURE_VERIFY);
  INFO(clean.out);
  CHECK(clean.exit_code == 0);
  CHECK_THAT(clean.out, Catch::EndsWith("Lint: no warnings\n"));
}
