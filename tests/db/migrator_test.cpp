// The migrator on a real PostgreSQL with migrations registered by the test itself.
#include "../support/test_database.hpp"
#include "core/migrator.hpp"

#include <catch2/catch.hpp>

#include <pqxx/transaction>

using namespace sonamu;
using sonamu::test::TestDatabase;

namespace {

/// Records events as short strings, so a test can compare the whole sequence.
class RecordingReporter : public Reporter {
 public:
  std::vector<std::string> events;
  void migration_started(Direction d, const std::string& name) override {
    events.push_back(std::string(d == Direction::up ? "up " : "down ") + name);
  }
  void statement(const std::string& sql, const std::vector<Param>& params) override {
    events.push_back("sql " + sql + " (" + std::to_string(params.size()) + ")");
  }
  void migration_finished(Direction, const std::string& name, std::chrono::milliseconds) override {
    events.push_back("done " + name);
  }
  void migration_failed(Direction, const std::string& name, const std::string& message,
                        const std::string& sqlstate) override {
    events.push_back("failed " + name + ": " + message + " [" + sqlstate + "]");
  }
  void batch_committed(Direction d, int batch, const std::vector<std::string>& names) override {
    events.push_back(std::string(d == Direction::up ? "ran" : "reverted") + " batch " +
                     std::to_string(batch) + " x" + std::to_string(names.size()));
  }
  void batch_in_parts(Direction, int, const std::vector<std::pair<bool, std::vector<std::string>>>& parts) override {
    events.push_back("parts " + std::to_string(parts.size()));
  }
  void batch_partly_done(Direction, int, const std::vector<std::string>& done,
                         const std::vector<std::string>&) override {
    events.push_back("partly " + std::to_string(done.size()));
  }
  void migration_skipped(Direction, const std::string& name, const std::string&) override {
    events.push_back("skipped " + name);
  }
  void data_at_risk(const std::vector<DataAtRisk>& risks) override {
    for (const auto& risk : risks) events.push_back("risk " + risk.display + " " + std::to_string(risk.count));
  }
  void verified(const std::string& name, const std::vector<std::string>& left_behind,
                const std::vector<std::string>& missing) override {
    events.push_back("verified " + name + " " + std::to_string(left_behind.size()) + "/" +
                     std::to_string(missing.size()));
  }
  void nothing_to_do(Direction) override { events.push_back("nothing"); }
  void all_rolled_back() override { events.push_back("all"); }
  void rollback_all_stopped(const std::vector<int>&, int failed) override {
    events.push_back("stopped at " + std::to_string(failed));
  }
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
  auto cx = db.connect();
  Registry registry;
  registry.add("20250101000000_create_t.cpp", create_t, drop_t);
  registry.add("20250101000001_insert.cpp", insert_hostile, delete_rows);
  RecordingReporter reporter;
  Migrator migrator(*cx, registry, reporter, {});

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
  auto cx = db.connect();
  Registry registry;
  registry.add("20250101000000_create_t.cpp", create_t, drop_t);
  registry.add("20250101000001_fail.cpp", fail, drop_t);
  RecordingReporter reporter;
  Migrator migrator(*cx, registry, reporter, {});
  CHECK(migrator.run() == ExitCode::migration_failed);
  CHECK(reporter.events.back() == "failed 20250101000001_fail.cpp: division by zero [22012]");
  CHECK_FALSE(db.has_table("t"));
  CHECK_FALSE(db.has_table("knex_migrations"));
  // The same connection is usable afterwards.
  CHECK(migrator.status().pending.size() == 2);
}

TEST_CASE("status reads without creating tables; rollback_all reports each batch") {
  TestDatabase db;
  auto cx = db.connect();
  Registry registry;
  registry.add("20250101000000_create_t.cpp", create_t, drop_t);
  registry.add("20250101000001_insert.cpp", insert_hostile, delete_rows);
  RecordingReporter reporter;
  MigratorSettings settings;
  settings.extension = ".ts";
  Migrator migrator(*cx, registry, reporter, settings);
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
