// The lint report beyond `migrate lint` of pending migrations, on real PostgreSQL: SET NOT NULL
// measured as a scan or not (a validated check proves the column), `lint --rollback` of what a
// rollback would revert, the report in `run`/`rollback --dry-run` (measured in the dry run's
// own transaction) and before `run`/`rollback --verbose`, and under `lint` in --json.
#include "e2e.hpp"

#include "../support/lint_report.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/transaction>

using namespace sonamu::test;
using json = nlohmann::json;
using Strings = std::vector<std::string>;

namespace {

/// The fixture's tables, 1,000 rows each; t_proven has a validated CHECK ("v" IS NOT NULL),
/// t_unproven the same check NOT VALID.
void create_tables(const TestDatabase& db) {
  std::string sql;
  for (const char* name : {"t_proven", "t_unproven", "t_names", "t_wide", "t_extra"}) {
    sql += std::string("CREATE TABLE \"") + name + "\" (\"id\" serial primary key, \"v\" integer);" +
           "INSERT INTO \"" + name + "\" (\"v\") SELECT g FROM generate_series(1, 1000) g;";
  }
  sql += R"(ALTER TABLE "t_proven" ADD CONSTRAINT "t_proven_v" CHECK ("v" IS NOT NULL);
            ALTER TABLE "t_unproven" ADD CONSTRAINT "t_unproven_v" CHECK ("v" IS NOT NULL) NOT VALID;)";
  db.query(sql);
  db.query("ANALYZE");
}

/// "table:LockMode:rewritten|kept:scanned|read-nothing" of each effect of migration `index`.
Strings effects(const json& report, std::size_t index) {
  Strings found;
  for (const auto& statement : report["migrations"][index]["statements"]) {
    for (const auto& effect : statement["effects"]) {
      found.push_back(effect["table"].get<std::string>() + ":" + effect["lock_mode"].get<std::string>() + ":" +
                      (effect["rewritten"].get<bool>() ? "rewritten" : "kept") + ":" +
                      (effect["scanned"].get<bool>() ? "scanned" : "read-nothing"));
    }
  }
  return found;
}

Strings names(const json& report) {
  Strings found;
  for (const auto& migration : report["migrations"]) found.push_back(migration["name"].get<std::string>());
  return found;
}

const std::string fixture = SONAMU_FIXTURE_REVERTING;

}  // namespace

TEST_CASE("lint: SET NOT NULL warns only when PostgreSQL scans the table, not when a validated check proves it") {
  TestDatabase db;
  create_tables(db);
  // The catalog's own word on the two checks.
  REQUIRE(db.scalar("SELECT convalidated FROM pg_constraint WHERE conname = 't_proven_v'") == "t");
  REQUIRE(db.scalar("SELECT convalidated FROM pg_constraint WHERE conname = 't_unproven_v'") == "f");
  const auto result = migrate(db, {"lint", "--json", "--large-table", "1"}, fixture);
  INFO(result.out << result.err);
  CHECK(result.exit_code == 0);
  const auto report = json::parse(result.out);
  REQUIRE(report["migrations"].size() == 5);
  CHECK(report["rollback"] == false);
  CHECK(effects(report, 0) == Strings{"t_proven:AccessExclusiveLock:kept:read-nothing"});
  CHECK(findings(report, 0).empty());
  CHECK(effects(report, 1) == Strings{"t_unproven:AccessExclusiveLock:kept:scanned"});
  CHECK(findings(report, 1) == Strings{"set-not-null t_unproven"});
  CHECK(effects(report, 2) == Strings{"t_names:AccessExclusiveLock:kept:read-nothing"});
  CHECK(findings(report, 2) == Strings{"rename-column t_names"});
  CHECK(effects(report, 3) == Strings{"t_wide:AccessExclusiveLock:rewritten:scanned"});
  CHECK(findings(report, 3) == Strings{"type-change-rewrite t_wide"});
  CHECK(effects(report, 4) == Strings{"t_extra:AccessExclusiveLock:kept:read-nothing"});
  CHECK(findings(report, 4).empty());
  CHECK(report["warnings"] == 3);
  CHECK(recorded(db) == "<no table>");
  CHECK(db.scalar("SELECT attnotnull FROM pg_attribute WHERE attrelid = 't_unproven'::regclass AND attname = 'v'") ==
        "f");
}

TEST_CASE("lint --rollback: the downs of what a rollback would revert, newest first, with --step and --all") {
  TestDatabase db;
  create_tables(db);
  REQUIRE(migrate(db, {"run", "--to", "20240501000003_rename"}, fixture).exit_code == 0);
  REQUIRE(migrate(db, {"run"}, fixture).exit_code == 0);
  const std::string before = recorded(db);
  REQUIRE(before ==
          "20240501000001_not_null_proven.cpp:1 20240501000002_not_null_unproven.cpp:1 20240501000003_rename.cpp:1 "
          "20240501000004_widen.cpp:2 20240501000005_note.cpp:2");

  const auto latest = migrate(db, {"lint", "--rollback", "--json", "--large-table", "1"}, fixture);
  INFO(latest.out << latest.err);
  CHECK(latest.exit_code == 0);
  auto report = json::parse(latest.out);
  CHECK(report["rollback"] == true);
  CHECK(names(report) == Strings{"20240501000005_note.cpp", "20240501000004_widen.cpp"});
  CHECK(effects(report, 0) == Strings{"t_extra:AccessExclusiveLock:kept:read-nothing"});
  CHECK(findings(report, 0) == Strings{"drop-column t_extra"});
  // The down changes the type back: a rewrite, measured like any other.
  CHECK(effects(report, 1) == Strings{"t_wide:AccessExclusiveLock:rewritten:scanned"});
  CHECK(findings(report, 1) == Strings{"type-change-rewrite t_wide"});
  CHECK(report["warnings"] == 2);

  report = json::parse(migrate(db, {"lint", "--rollback", "--step", "3", "--json"}, fixture).out);
  CHECK(names(report) ==
        Strings{"20240501000005_note.cpp", "20240501000004_widen.cpp", "20240501000003_rename.cpp"});
  report = json::parse(migrate(db, {"lint", "--rollback", "--all", "--json"}, fixture).out);
  CHECK(names(report) == Strings{"20240501000005_note.cpp", "20240501000004_widen.cpp", "20240501000003_rename.cpp",
                                 "20240501000002_not_null_unproven.cpp", "20240501000001_not_null_proven.cpp"});

  const auto text = migrate(db, {"lint", "--rollback", "--large-table", "1", "--fail-on", "warning"}, fixture);
  CHECK(text.exit_code == 1);
  CHECK_THAT(text.out, Catch::StartsWith("Lint of 2 migrations to revert, their downs rehearsed in a transaction that "
                                         "was rolled back (large tables: 1 bytes or more)\n"
                                         "20240501000005_note.cpp\n"
                                         "  ALTER TABLE \"t_extra\" DROP COLUMN \"note\" — locks t_extra ("));
  CHECK_THAT(text.out, Catch::Contains("\n20240501000004_widen.cpp\n  ALTER TABLE \"t_wide\" ALTER COLUMN \"v\" TYPE "
                                       "integer — rewrites t_wide ("));
  CHECK_THAT(text.out, Catch::EndsWith("Lint: 2 warnings\n"));

  // Options of a rollback only with --rollback; nothing to revert is said.
  const auto misuse = migrate(db, {"lint", "--step", "1"}, fixture);
  CHECK(misuse.exit_code == 2);
  CHECK_THAT(misuse.err, Catch::Contains("--step requires --rollback"));
  CHECK(migrate(db, {"lint", "--rollback", "--all", "--step", "1"}, fixture).exit_code == 2);

  // Nothing changed: the records, the wider column, the note column.
  CHECK(recorded(db) == before);
  CHECK(db.scalar("SELECT data_type FROM information_schema.columns WHERE table_name = 't_wide' AND column_name = "
                  "'v'") == "bigint");
  CHECK(db.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 't_extra' AND column_name = "
                  "'note'") == "1");

  TestDatabase empty;
  const auto nothing = migrate(empty, {"lint", "--rollback"}, fixture);
  CHECK(nothing.exit_code == 0);
  CHECK(nothing.out == "Nothing to revert: nothing to lint\nLint: no warnings\n");
}

TEST_CASE("run --dry-run: the lint report measured in the dry run itself; --json puts it under lint") {
  TestDatabase db;
  create_tables(db);
  const auto text = migrate(db, {"run", "--dry-run"}, fixture);
  INFO(text.out << text.err);
  CHECK(text.exit_code == 0);
  // After the dry run's own lines, before its last. At the default threshold (10 MB) the
  // tables are small: only the rename warns.
  CHECK_THAT(text.out, Catch::Contains("\nBatch 1 would run: 5 migrations\n"
                                       "Lint of 5 migrations, measured in this dry run (large tables: 10485760 bytes "
                                       "or more)\n20240501000001_not_null_proven.cpp\n"
                                       "  ALTER TABLE \"t_proven\" ALTER COLUMN \"v\" SET NOT NULL — locks t_proven ("));
  CHECK_THAT(text.out, Catch::Contains("\n20240501000004_widen.cpp\n  ALTER TABLE \"t_wide\" ALTER COLUMN \"v\" TYPE "
                                       "bigint — rewrites t_wide ("));
  CHECK_THAT(text.out, Catch::Contains("    ⚠ rename-column: renaming \"t_names\".\"v\" breaks"));
  CHECK_THAT(text.out, Catch::EndsWith("\nLint: 1 warning\nDry run: nothing was changed\n"));

  const auto document = migrate(db, {"run", "--dry-run", "--json"}, fixture);
  INFO(document.out);
  CHECK(document.exit_code == 0);
  const auto parsed = json::parse(document.out);
  CHECK(parsed["dry_run"] == true);
  const auto& report = parsed["lint"];
  CHECK(report["rollback"] == false);
  CHECK(names(report).size() == 5);
  CHECK(effects(report, 1) == Strings{"t_unproven:AccessExclusiveLock:kept:scanned"});
  CHECK(effects(report, 3) == Strings{"t_wide:AccessExclusiveLock:rewritten:scanned"});
  CHECK(report["warnings"] == 1);
  // --quiet prints nothing, the report included.
  const auto quiet = migrate(db, {"run", "--dry-run", "--quiet"}, fixture);
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.out.empty());
  CHECK(quiet.err.empty());
  CHECK(recorded(db) == "<no table>");
}

TEST_CASE("rollback --dry-run and --verbose: the report of the downs; run --verbose reports before it runs") {
  TestDatabase db;
  create_tables(db);
  const auto run = migrate(db, {"run", "--verbose"}, fixture);
  INFO(run.out << run.err);
  REQUIRE(run.exit_code == 0);
  // The report (stderr) of a rehearsal before the run; its warning does not stop the run.
  CHECK_THAT(run.err, Catch::StartsWith("Lint of 5 pending migrations, rehearsed in a transaction that was rolled back "
                                        "(large tables: 10485760 bytes or more)\n"));
  CHECK_THAT(run.err, Catch::EndsWith("Lint: 1 warning\n"));
  CHECK_THAT(run.out, Catch::StartsWith("Running migration: 20240501000001_not_null_proven.cpp\n"));
  CHECK(recorded(db) ==
        "20240501000001_not_null_proven.cpp:1 20240501000002_not_null_unproven.cpp:1 20240501000003_rename.cpp:1 "
        "20240501000004_widen.cpp:1 20240501000005_note.cpp:1");

  const auto dry = migrate(db, {"rollback", "--dry-run", "--step", "2"}, fixture);
  INFO(dry.out << dry.err);
  CHECK(dry.exit_code == 0);
  CHECK_THAT(dry.out, Catch::Contains("Lint of 2 migrations reverted, measured in this dry run (large tables: "
                                      "10485760 bytes or more)\n20240501000005_note.cpp\n"
                                      "  ALTER TABLE \"t_extra\" DROP COLUMN \"note\" — locks t_extra ("));
  CHECK_THAT(dry.out, Catch::EndsWith("Lint: 1 warning\nDry run: nothing was changed\n"));

  const auto verbose = migrate(db, {"rollback", "--verbose", "--step", "1", "--json"}, fixture);
  INFO(verbose.out);
  CHECK(verbose.exit_code == 0);
  const auto parsed = json::parse(verbose.out);
  CHECK(parsed["lint"]["rollback"] == true);
  CHECK(names(parsed["lint"]) == Strings{"20240501000005_note.cpp"});
  CHECK(findings(parsed["lint"], 0) == Strings{"drop-column t_extra"});
  CHECK(db.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 't_extra' AND column_name = "
                  "'note'") == "0");

  const auto text = migrate(db, {"rollback", "--verbose"}, fixture);
  INFO(text.out);
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.err, Catch::Contains("Lint of 4 migrations to revert, their downs rehearsed in a transaction "
                                       "that was rolled back (large tables: 10485760 bytes or more)\n"
                                       "20240501000004_widen.cpp\n"));
  CHECK(recorded(db).empty());
}

TEST_CASE("run --verbose: a lock the report cannot have within 2 s ends it, said in one line; the run then waits as configured") {
  TestDatabase db;
  create_tables(db);
  // An application session holds a lock the first migration's ALTER TABLE needs.
  auto session = db.connect();
  pqxx::work hold(*session);
  hold.exec(R"(LOCK TABLE "t_proven" IN ACCESS SHARE MODE)");
  // No lock_timeout for the run: only the report's own 2 s can end its wait.
  Process runner(migrate_spec(db, {"run", "--verbose", "--lock-timeout-sql", "0"}, fixture));
  REQUIRE(runner.wait_for_output("Running migration: 20240501000001_not_null_proven.cpp\n"));
  hold.abort();
  const auto result = split_banner(runner.wait());
  INFO(result.out << result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.err.find("Lint of") == std::string::npos);
  CHECK_THAT(result.err, Catch::Contains("Lint report skipped: rehearsing 20240501000001_not_null_proven.cpp "
                                         "needed more than 2 s for a lock or a statement; the run goes on\n"));
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "5");
}
