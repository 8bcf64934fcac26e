// The migrator on a real PostgreSQL with migrations registered by the test itself.
#include "../support/test_database.hpp"
#include "../support/recording_reporter.hpp"
#include "engine/migrator.hpp"
#include "pg/session.hpp"
#include "pg/store.hpp"

#include <catch2/catch.hpp>

#include <pqxx/transaction>

using namespace sonamu;
using sonamu::test::RecordingReporter;
using sonamu::test::TestDatabase;

namespace {

/// The engine on the PostgreSQL adapters of one connection, with the registry, reporter and
/// settings a test fills in before it asks for the migrator.
struct PostgresEngine {
  std::unique_ptr<pqxx::connection> cx;
  pg::Store store;
  pg::PostgresSession session;
  Registry registry;
  RecordingReporter reporter;
  MigratorSettings settings;
  explicit PostgresEngine(const TestDatabase& db, TableLocation location = {})
      : cx(db.connect()), store(*cx, std::move(location)), session(*cx, store) {}

  Migrator migrator() { return Migrator(session, store, registry, reporter, settings); }
};

void create_t(Knex& knex) { knex.raw(R"(CREATE TABLE "t" ("v" text))"); }
void drop_t(Knex& knex) { knex.raw(R"(DROP TABLE "t")"); }
void insert_hostile(Knex& knex) {
  // A value full of SQL syntax is bound, never spliced: it arrives verbatim.
  knex.raw(R"(INSERT INTO "t" ("v") VALUES ($1), ($2))", "'); DROP TABLE \"t\"; --", nullptr);
  const auto rows = knex.raw(R"(SELECT count(*) AS n FROM "t" WHERE "v" IS NULL)");
  if (rows.at(0, "n") != Value{"1"}) throw std::runtime_error("NULL was not bound as NULL");
}
void delete_rows(Knex& knex) { knex.raw(R"(DELETE FROM "t")"); }
void fail(Knex& knex) { knex.raw("SELECT 1/0"); }

}  // namespace

TEST_CASE("run then rollback, with values bound as parameters") {
  TestDatabase db;
  PostgresEngine engine(db);
  engine.registry.add("20250101000000_create_t.cpp", create_t, drop_t);
  engine.registry.add("20250101000001_insert.cpp", insert_hostile, delete_rows);
  auto migrator = engine.migrator();
  auto& reporter = engine.reporter;

  CHECK(migrator.run() == ExitCode::ok);
  CHECK(db.scalar("SELECT string_agg(coalesce(v, 'NULL'), '|' ORDER BY v) FROM t") ==
        "'); DROP TABLE \"t\"; --|NULL");
  CHECK(reporter.events.front() == "up 20250101000000_create_t.cpp");
  CHECK(reporter.events.back() == "ran batch 1 x2");
  CHECK(std::find(reporter.events.begin(), reporter.events.end(),
                  "sql INSERT INTO \"t\" (\"v\") VALUES ($1), ($2) (2)") != reporter.events.end());

  reporter.events.clear();
  CHECK(migrator.rollback() == ExitCode::ok);
  // The DROP TABLE of the second down would delete the table's two rows: reported first.
  CHECK(reporter.events == std::vector<std::string>{
                               "risk t 2", "down 20250101000001_insert.cpp", "sql DELETE FROM \"t\" (0)",
                               "done 20250101000001_insert.cpp", "down 20250101000000_create_t.cpp",
                               "sql DROP TABLE \"t\" (0)", "done 20250101000000_create_t.cpp",
                               "reverted batch 1 x2"});
  CHECK_FALSE(db.has_table("t"));
}

TEST_CASE("a failing migration rolls back the whole batch and records nothing") {
  TestDatabase db;
  PostgresEngine engine(db);
  engine.registry.add("20250101000000_create_t.cpp", create_t, drop_t);
  engine.registry.add("20250101000001_fail.cpp", fail, drop_t);
  auto migrator = engine.migrator();
  auto& reporter = engine.reporter;
  CHECK(migrator.run() == ExitCode::migration_failed);
  CHECK(reporter.events.back() == "failed 20250101000001_fail.cpp: division by zero [22012]");
  CHECK_FALSE(db.has_table("t"));
  // Nothing recorded; the failure of this first run is in the history.
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "0");
  CHECK(db.scalar("SELECT name || ' ' || success FROM knex_migrations_history") == "20250101000001_fail.cpp false");
  // The same connection is usable afterwards.
  CHECK(migrator.status().pending.size() == 2);
}

TEST_CASE("status reads without creating tables; rollback_all reports each batch") {
  TestDatabase db;
  PostgresEngine engine(db);
  engine.registry.add("20250101000000_create_t.cpp", create_t, drop_t);
  engine.registry.add("20250101000001_insert.cpp", insert_hostile, delete_rows);
  engine.settings.extension = ".ts";
  auto migrator = engine.migrator();
  auto& reporter = engine.reporter;
  CHECK(migrator.status().pending ==
        std::vector<std::string>{"20250101000000_create_t.ts", "20250101000001_insert.ts"});
  CHECK_FALSE(db.has_table("knex_migrations"));
  CHECK(migrator.up() == ExitCode::ok);
  CHECK(migrator.up() == ExitCode::ok);
  CHECK(migrator.up() == ExitCode::ok);  // nothing left
  const auto status = migrator.status();
  REQUIRE(status.executed.size() == 2);
  CHECK(status.pending.empty());
  reporter.events.clear();
  CHECK(migrator.rollback_all() == ExitCode::ok);
  CHECK(std::count(reporter.events.begin(), reporter.events.end(), "reverted batch 2 x1") == 1);
  CHECK(std::count(reporter.events.begin(), reporter.events.end(), "reverted batch 1 x1") == 1);
  CHECK(reporter.events.back() == "all");
}
