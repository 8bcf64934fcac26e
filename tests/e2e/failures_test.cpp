// Failures: nothing half-applied, the guide's error lines, documented exit codes.
#include "e2e.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>

using namespace sonamu::test;
namespace fs = std::filesystem;

namespace {


/// Exactly one line, ending in a newline.
bool one_line(const std::string& text) {
  return !text.empty() && text.back() == '\n' && text.find('\n') == text.size() - 1;
}

}  // namespace

TEST_CASE("a failing down leaves the schema and the table untouched, with the guide's error") {
  TestDatabase db;
  REQUIRE(migrate(db, {"run", "--to", "20251220143100_create__posts", "--extension", ".ts"}).exit_code == 0);
  REQUIRE(migrate(db, {"up", "--extension", ".ts"}).exit_code == 0);
  // "DB was modified manually": the column the down function drops is already gone, and
  // another column was added that must survive the failed rollback.
  db.query(R"(ALTER TABLE "users" DROP COLUMN "phone"; ALTER TABLE "users" ADD COLUMN "extra" int)");

  const auto result = migrate(db, {"rollback"});
  CHECK(result.exit_code == 1);
  CHECK(result.out.empty());
  CHECK(result.err ==
        "❌ Error rolling back 20251220143200_alter_users_add1.ts\n"
        "   Error: column \"phone\" of relation \"users\" does not exist\n");
  CHECK(recorded(db) ==
        "20251220143022_create__users.ts:1 20251220143100_create__posts.ts:1 "
        "20251220143200_alter_users_add1.ts:2");
  CHECK(db.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' "
                  "AND column_name = 'extra'") == "1");
  CHECK(db.scalar("SELECT is_locked FROM knex_migrations_lock") == "0");
}

TEST_CASE("a batch whose third migration fails leaves none of the batch applied") {
  TestDatabase db;
  const auto result = migrate(db, {"run"}, SONAMU_FIXTURE_FAILING);
  CHECK(result.exit_code == 1);
  CHECK(result.out.empty());
  CHECK(result.err ==
        "❌ Error running 20240101000003_broken.cpp\n"
        "   Error: relation \"no_such_table\" does not exist\n");
  CHECK_FALSE(db.has_table("alpha"));
  CHECK_FALSE(db.has_table("beta"));
  CHECK_FALSE(db.has_table("gamma"));
  // The bookkeeping tables went with the batch, then were created again (as knex creates them
  // before running anything) so that the failure of this first run is in the history.
  CHECK(recorded(db).empty());
  CHECK(db.scalar("SELECT string_agg(action || ' ' || name || ' ' || success, ',') FROM knex_migrations_history") ==
        "run 20240101000003_broken.cpp false");

  // The earlier migrations alone still apply cleanly afterwards.
  const auto partial = migrate(db, {"run", "--to", "20240101000002_create_beta"}, SONAMU_FIXTURE_FAILING);
  CHECK(partial.exit_code == 0);
  CHECK(recorded(db) == "20240101000001_create_alpha.cpp:1 20240101000002_create_beta.cpp:1");
  // A failing run after that changes nothing of what was applied.
  CHECK(migrate(db, {"run"}, SONAMU_FIXTURE_FAILING).exit_code == 1);
  CHECK(recorded(db) == "20240101000001_create_alpha.cpp:1 20240101000002_create_beta.cpp:1");
  CHECK_FALSE(db.has_table("gamma"));
}

TEST_CASE("rollback --all that fails keeps earlier batches rolled back and says which") {
  TestDatabase db;
  REQUIRE(migrate(db, {"run", "--to", "20251220143100_create__posts"}).exit_code == 0);
  REQUIRE(migrate(db, {"run", "--to", "20251220143200_alter_users_add1"}).exit_code == 0);
  REQUIRE(migrate(db, {"run", "--to", "20251220143300_alter_posts_add1"}).exit_code == 0);
  db.query(R"(ALTER TABLE "users" DROP COLUMN "phone")");  // batch 2's down will fail

  const auto result = migrate(db, {"rollback", "--all"});
  CHECK(result.exit_code == 1);
  CHECK(result.out == "Batch 3 rolled back: 1 migration\n✅ 20251220143300_alter_posts_add1.cpp\n");
  CHECK(result.err ==
        "❌ Error rolling back 20251220143200_alter_users_add1.cpp\n"
        "   Error: column \"phone\" of relation \"users\" does not exist\n"
        "Rollback stopped at batch 2: batch 3 stays rolled back; batch 2 and older are unchanged\n");
  CHECK(recorded(db) ==
        "20251220143022_create__users.cpp:1 20251220143100_create__posts.cpp:1 "
        "20251220143200_alter_users_add1.cpp:2");
}

TEST_CASE("rows recorded but not compiled in: corrupt directory, exit 4, nothing changed") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  db.query("INSERT INTO knex_migrations (name, batch, migration_time) VALUES "
           "('20200101000000_gone.ts', 2, now()), ('20200101000001_also_gone.js', 2, now())");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"status"}, {"run"}, {"up"}, {"rollback"}, {"rollback", "--all"}, {"down"}}) {
    const auto result = migrate(db, args);
    CHECK(result.exit_code == 4);
    CHECK(result.out.empty());
    CHECK(result.err ==
          "Error: The migration directory is corrupt, the following files are missing: "
          "20200101000000_gone.ts, 20200101000001_also_gone.js\n");
  }
  CHECK(db.has_table("users"));
  CHECK_FALSE(db.has_table("posts"));
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "3");
}

TEST_CASE("migrations of another folder than the binary was built from: exit 4, run that project's own executable") {
  TestDatabase db;
  const ScratchDirectory scratch("sonamu-stale-project");
  const fs::path project = scratch.path();
  fs::create_directories(project / "migrations");
  for (const auto& name : bundled(".cpp")) {
    fs::copy_file(fs::path(SONAMU_SOURCE_DIR) / "migrations" / name, project / "migrations" / name,
                  fs::copy_options::overwrite_existing);
  }
  std::ofstream(project / "migrations" / "20260101000000_add_orders.cpp") << "// new\n";

  const auto result = migrate(db, {"run"}, SONAMU_BINARY, project.string());
  CHECK(result.exit_code == 4);
  // A rebuild of this binary cannot help: it is built from the migrations of its own project.
  CHECK(result.err ==
        "Error: These migration files in migrations are not compiled into this binary: "
        "20260101000000_add_orders.cpp; sonamu was built with the migrations of another folder: build this "
        "project's own executable (sonamu_add_migrations in its CMakeLists.txt; `sonamu migrate init` writes one) "
        "and run that\n");
  CHECK_FALSE(db.has_table("knex_migrations"));

  // --migrations-dir points the check elsewhere; the bundled sources match the binary.
  fs::remove(project / "migrations" / "20260101000000_add_orders.cpp");
  CHECK(migrate(db, {"status"}, SONAMU_BINARY, project.string()).exit_code == 0);
  const auto other = migrate(db, {"run", "--migrations-dir", (fs::path(SONAMU_SOURCE_DIR) / "tests" / "fixtures" / "failing").string()});
  CHECK(other.exit_code == 4);
  CHECK_THAT(other.err, Catch::Contains("sonamu was built with the migrations of another folder"));
}

TEST_CASE("malformed or duplicate migration names stop the program at start-up") {
  TestDatabase db;
  const auto malformed = migrate(db, {"status"}, SONAMU_FIXTURE_MALFORMED);
  CHECK(malformed.exit_code == 2);
  CHECK(one_line(malformed.err));
  CHECK_THAT(malformed.err, Catch::StartsWith("Error: Invalid migration file name 'create_users'"));

  const auto duplicate = migrate(db, {"run"}, SONAMU_FIXTURE_DUPLICATE);
  CHECK(duplicate.exit_code == 2);
  CHECK(one_line(duplicate.err));
  CHECK_THAT(duplicate.err, Catch::StartsWith("Error: Duplicate migration name '20240101000001_create_alpha'"));
  CHECK_FALSE(db.has_table("knex_migrations"));
}

TEST_CASE("an unreachable server: exit 3, one line naming the target, password hidden") {
  ProcessSpec spec;
  spec.argv = {SONAMU_BINARY, "migrate", "run", "-c",
               "postgresql://app:hunter2@127.0.0.1:1/shop", "--connect-timeout", "2"};
  spec.cwd = empty_directory();
  const auto result = run_migrate(spec);
  CHECK(result.exit_code == 3);
  CHECK(result.out.empty());
  CHECK(one_line(result.err));
  CHECK_THAT(result.err, Catch::StartsWith("Error: Cannot connect to PostgreSQL at 127.0.0.1:1/shop: "));
  CHECK(result.err.find("hunter2") == std::string::npos);
}

TEST_CASE("a missing database or wrong user: exit 3, one line") {
  TestDatabase db;
  ProcessSpec spec;
  spec.argv = {SONAMU_BINARY, "migrate", "status", "-c", "dbname=sonamu_no_such_database password=hunter2"};
  spec.cwd = empty_directory();
  const auto result = run_migrate(spec);
  CHECK(result.exit_code == 3);
  CHECK(one_line(result.err));
  CHECK_THAT(result.err, Catch::Contains("sonamu_no_such_database"));
  CHECK(result.err.find("hunter2") == std::string::npos);
}

TEST_CASE("no connection configured: the development database is the default") {
  ProcessSpec spec;
  spec.argv = {SONAMU_BINARY, "migrate", "status", "--connect-timeout", "2"};
  spec.cwd = empty_directory();
  for (const char* name : {"DATABASE_URL", "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE"}) {
    spec.env[name] = std::nullopt;
  }
  const auto result = run_migrate(spec);
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.err, Catch::Contains(empty_directory() + "/.sonamu/run:5432/sonamu_dev"));
  // No development database here: the script that starts one is not named.
  CHECK_THAT(result.err, Catch::Contains("set DATABASE_URL"));
}

TEST_CASE("no connection configured: the development database's socket is found from a sub-folder") {
  // A project whose development database is stopped: its socket folder exists, no server.
  const ScratchDirectory project("sonamu-dev-project");
  fs::create_directories(project.path() / ".sonamu" / "run");
  fs::create_directories(project.path() / "src" / "deep");
  ProcessSpec spec;
  spec.argv = {SONAMU_BINARY, "migrate", "status", "--connect-timeout", "2"};
  spec.cwd = (project.path() / "src" / "deep").string();
  for (const char* name : {"DATABASE_URL", "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE"}) {
    spec.env[name] = std::nullopt;
  }
  const auto result = run_migrate(spec);
  CHECK(result.exit_code == 3);
  CHECK(result.out.empty());
  CHECK(result.err == "Error: Cannot connect to PostgreSQL at " + (project.path() / ".sonamu" / "run").string() +
                          ":5432/sonamu_dev: No such file or directory (no connection is configured, so this "
                          "project's development database was tried: start it with scripts/dev-db.sh start, or set "
                          "DATABASE_URL or --connection)\n");
}

TEST_CASE("no connection configured outside this repository: the error says how to configure one") {
  const ScratchDirectory project("sonamu-own-project");
  ProcessSpec spec;
  spec.argv = {SONAMU_BINARY, "migrate", "status", "--connect-timeout", "2"};
  spec.cwd = project.string();
  for (const char* name : {"DATABASE_URL", "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE"}) {
    spec.env[name] = std::nullopt;
  }
  const auto result = run_migrate(spec);
  CHECK(result.exit_code == 3);
  CHECK(result.out.empty());
  CHECK_THAT(result.err, Catch::StartsWith("Error: Cannot connect to PostgreSQL at "));
  CHECK_THAT(result.err, Catch::EndsWith(" (no connection is configured: set DATABASE_URL, pass --connection, or "
                                         "give one in sonamu.config.json)\n"));
  CHECK(result.err.find("dev-db.sh") == std::string::npos);
}

TEST_CASE("bad command lines: exit 2 with one line, database untouched") {
  TestDatabase db;
  const std::vector<std::vector<std::string>> cases = {
      {"frobnicate"}, {"run", "--bogus"}, {"rollback", "--to", "x"}, {"status", "--connect-timeout", "zero"}};
  for (const auto& args : cases) {
    const auto result = migrate(db, args);
    CHECK(result.exit_code == 2);
    CHECK(one_line(result.err));
  }
  const auto unknown_to = migrate(db, {"run", "--to", "20990101000000_nope"});
  CHECK(unknown_to.exit_code == 2);
  CHECK(unknown_to.err == "Error: Unknown migration for --to: '20990101000000_nope'\n");
  ProcessSpec bad_url_spec;
  for (const char* url : {"postgresql://u:hunter2@h:x:y/", "postgresql://u:hunter2@h/db?nonsense=1",
                          "host=h password=hunter2 'unterminated"}) {
    bad_url_spec.argv = {SONAMU_BINARY, "migrate", "status", "-c", url};
    const auto bad_url = run_migrate(bad_url_spec);
    CHECK(bad_url.exit_code == 2);
    CHECK(one_line(bad_url.err));
    CHECK_THAT(bad_url.err, Catch::StartsWith("Error: Invalid connection string in --connection: "));
    CHECK(bad_url.err.find("hunter2") == std::string::npos);
  }
  const auto schema = migrate(db, {"run", "--schema", "nope"});
  CHECK(schema.exit_code == 2);
  CHECK(schema.err == "Error: Schema \"nope\" does not exist in this database (--schema)\n");
  CHECK_FALSE(db.has_table("knex_migrations"));
  CHECK_FALSE(db.has_table("users"));
}

TEST_CASE("a builder misuse is reported, naming the migration, before any SQL of the batch runs") {
  TestDatabase db;
  const auto result = migrate(db, {"run", "--verbose"}, SONAMU_FIXTURE_INVALID);
  CHECK(result.exit_code == 1);
  CHECK(result.out.empty());  // no "Running migration", no "SQL:" line: nothing was sent
  CHECK_THAT(result.err, Catch::StartsWith("❌ Error running 20240401000002_bad_definition.cpp\n"
                                           "   Error: Invalid migration definition: "));
  CHECK(one_line(result.err.substr(result.err.find('\n') + 1)));
  CHECK_FALSE(db.has_table("fine"));
  CHECK_FALSE(db.has_table("partial"));
  CHECK_FALSE(db.has_table("knex_migrations"));
}

TEST_CASE("the suite's own bound: a child past its deadline is killed, with its command line and output") {
  // A child that never ends, with a grandchild holding its pipes open.
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", "echo started; echo on stderr >&2; sleep 600 & wait", "hung child"};
  Process hung(spec);
  REQUIRE(hung.wait_for_output("started\n"));
  try {
    hung.wait(std::chrono::milliseconds(200));
    FAIL("wait returned for a child that never ends");
  } catch (const ProcessTimeout& timeout) {
    CHECK(std::string(timeout.what()) ==
          "timed out after 200 ms waiting for the process to end; killed: /bin/sh -c "
          "'echo started; echo on stderr >&2; sleep 600 & wait' 'hung child'\n"
          "--- its stdout so far ---\nstarted\n\n--- its stderr so far ---\non stderr\n");
  }
  CHECK_FALSE(hung.running());

  Process silent(spec);
  CHECK_THROWS_AS(silent.wait_for_output("never printed", std::chrono::milliseconds(200)), ProcessTimeout);
  CHECK_FALSE(silent.running());
}
