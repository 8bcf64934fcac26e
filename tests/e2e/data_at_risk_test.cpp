// What a rollback destroys, measured by PostgreSQL: every form a down takes, exact counts and
// estimates, no question while a table is held, the unattended policy, and edited sources.
#include "../support/wait_until.hpp"
#include "e2e.hpp"
#include "prompted_rollback.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/connection>
#include <pqxx/transaction>

#include <filesystem>
#include <fstream>
#include <regex>

using namespace sonamu::test;
namespace fs = std::filesystem;

namespace {

/// The loss fixture applied as one batch, each of its tables holding data.
void loss_fixture_with_data(const TestDatabase& db) {
  REQUIRE(migrate(db, {"run"}, SONAMU_FIXTURE_LOSS).exit_code == 0);
  db.query(R"(INSERT INTO "alpha" VALUES (1), (2), (3))");
  db.query(R"(INSERT INTO "beta" VALUES (1), (2))");
  db.query(R"(INSERT INTO "gamma" VALUES (1, 'kept'), (2, NULL))");
  db.query(R"(INSERT INTO "delta" VALUES (1), (2), (3), (4))");
  db.query(R"(INSERT INTO "measures" VALUES (1, 1.50), (2, 2.00), (3, 3.25), (4, NULL))");
  db.query(R"(INSERT INTO "epsilon" VALUES (1))");
}

const std::string every_form =
    "⚠ alpha: 3 rows will be deleted\n"
    "⚠ beta: 2 rows will be deleted\n"
    "⚠ gamma.note: 1 non-null value will be deleted\n"
    "⚠ delta: 4 rows will be deleted\n"
    "⚠ measures.value: 2 values will not survive the change from numeric(10,2) to integer\n"
    "⚠ epsilon: 1 row will be deleted\n";

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// The fenced bash block of docs/rollback-safety.md whose second line is `first_comment`.
std::string documented_script(const std::string& first_comment) {
  const std::string page = read_file(fs::path(SONAMU_SOURCE_DIR) / "docs" / "rollback-safety.md");
  const auto start = page.find("```bash\n#!/bin/bash\n" + first_comment + "\n");
  REQUIRE(start != std::string::npos);
  const auto body = start + std::string("```bash\n").size();
  return page.substr(body, page.find("```", body) - body);
}

/// What `script` did, run as `auto-rollback.sh` in a project of its own (a config with a
/// production environment that requires --yes) with `sonamu` on the PATH; and how many .sql
/// dumps it left there.
std::pair<ProcessResult, int> run_auto_rollback(const std::string& script, const TestDatabase& db,
                                                const std::string& node_env) {
  const ScratchDirectory scratch("sonamu-auto-rollback");
  const fs::path project = scratch.path();
  std::ofstream(project / "auto-rollback.sh") << script;
  std::ofstream(project / "sonamu.config.json")
      << R"({"environments": {"development": {}, "production": {"requireYes": true}}})";
  fs::create_directories(project / "bin");
  fs::create_symlink(SONAMU_BINARY, project / "bin" / "sonamu");
  ProcessSpec spec;
  spec.argv = {"/bin/bash", "auto-rollback.sh"};
  spec.cwd = project.string();
  spec.env["PATH"] = (project / "bin").string() + ":" + std::getenv("PATH");
  spec.env["DATABASE_URL"] = db.conninfo();
  spec.env["NODE_ENV"] = node_env;
  const auto result = run_process(spec);
  int dumps = 0;
  for (const auto& entry : fs::directory_iterator(project)) {
    if (entry.path().extension() == ".sql") ++dumps;
  }
  return {result, dumps};
}

}  // namespace

TEST_CASE("every form of down is measured by PostgreSQL, with exact counts, and a dry run changes nothing") {
  TestDatabase db;
  loss_fixture_with_data(db);
  const auto dry = migrate(db, {"rollback", "--dry-run"}, SONAMU_FIXTURE_LOSS);
  CHECK(dry.exit_code == 0);
  CHECK(dry.err == every_form);
  CHECK(db.scalar("SELECT count(*) FROM alpha") == "3");
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "5");

  const auto json_result = migrate(db, {"rollback", "--dry-run", "--json"}, SONAMU_FIXTURE_LOSS);
  CHECK(json_result.exit_code == 0);
  const auto risks = nlohmann::json::parse(json_result.out)["data_at_risk"];
  REQUIRE(risks.size() == 6);
  CHECK(risks[0] == nlohmann::json{{"object", "alpha"}, {"kind", "table"}, {"count", 3}, {"estimated", false}});
  CHECK(risks[2] == nlohmann::json{{"object", "gamma.note"}, {"kind", "column"}, {"count", 1}, {"estimated", false}});
  CHECK(risks[4] == nlohmann::json{{"object", "measures.value"}, {"kind", "type_change"}, {"count", 2},
                                   {"estimated", false}, {"from_type", "numeric(10,2)"}, {"to_type", "integer"}});
}

TEST_CASE("off a terminal a rollback that deletes data warns on stderr and proceeds") {
  TestDatabase db;
  loss_fixture_with_data(db);
  const auto result = migrate(db, {"rollback"}, SONAMU_FIXTURE_LOSS);
  CHECK(result.exit_code == 0);
  CHECK(result.err == every_form + "stdin is not a terminal: rolling back without confirmation\n");
  CHECK(result.out == "Batch 1 rolled back: 5 migrations\n"
                      "✅ 20240701000005_drop_in_do_block.cpp\n"
                      "✅ 20240701000004_type_change.cpp\n"
                      "✅ 20240701000003_guarded_drop.cpp\n"
                      "✅ 20240701000002_multi_statement.cpp\n"
                      "✅ 20240701000001_multi_table_drop.cpp\n");
  CHECK_FALSE(db.has_table("alpha"));
  CHECK_FALSE(db.has_table("epsilon"));
  CHECK(db.scalar("SELECT string_agg(value::text, ',' ORDER BY id) FROM measures") == "2,2,3");
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "0");
}

TEST_CASE("above the size threshold the count is the planner's estimate, marked with ~") {
  TestDatabase db;
  loss_fixture_with_data(db);
  db.query("ANALYZE");
  auto spec = migrate_spec(db, {"rollback", "--dry-run"}, SONAMU_FIXTURE_LOSS, {{"SONAMU_EXACT_COUNT_BYTES", "0"}});
  const auto estimated = run_migrate(spec);
  CHECK(estimated.exit_code == 0);
  CHECK(estimated.err ==
        "⚠ alpha: ~3 rows will be deleted\n"
        "⚠ beta: ~2 rows will be deleted\n"
        "⚠ gamma.note: ~1 non-null values will be deleted\n"
        "⚠ delta: ~4 rows will be deleted\n"
        "⚠ measures.value: ~3 values go through the change from numeric(10,2) to integer "
        "(not checked one by one on a table this large)\n"
        "⚠ epsilon: ~1 rows will be deleted\n");
}

TEST_CASE("no question waits while the tool holds a lock on the user's tables") {
  TestDatabase db;
  users_with_phone(db);
  PromptedRollback prompt(db);
  // While the question waits, another session takes the strongest lock on the table without
  // waiting: NOWAIT fails at once if any other session holds any lock on it.
  pqxx::connection other(db.conninfo());
  {
    pqxx::work tx(other);
    CHECK_NOTHROW(tx.exec(R"(LOCK TABLE "users" IN ACCESS EXCLUSIVE MODE NOWAIT)"));
    CHECK(tx.exec("SELECT count(*) FROM users")[0][0].as<int>() == 2);
    tx.commit();
  }
  CHECK(db.scalar("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                  "WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                  "AND c.relname = 'users'") == "0");
  prompt.type("n\n");
  prompt.close_keyboard();
  const auto result = prompt.wait();
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.out, Catch::Contains("Error: Rollback cancelled: nothing was changed"));
  CHECK(db.scalar("SELECT count(phone) FROM users") == "1");
}

TEST_CASE("requireYes refuses off a terminal, requireBackup without a backup; a refused rollback leaves no dump") {
  TestDatabase db;
  users_with_phone(db);
  const ScratchDirectory scratch("sonamu-policy");
  const fs::path project = scratch.path();
  std::ofstream(project / "sonamu.config.json")
      << R"({"environments": {"development": {}, "staging": {"requireBackup": true},
                              "production": {"requireYes": true}}})";
  const auto rollback = [&](const std::string& environment, std::vector<std::string> extra) {
    std::vector<std::string> args = {"rollback", "--env", environment};
    args.insert(args.end(), extra.begin(), extra.end());
    ProcessSpec spec = migrate_spec(db, args);
    spec.cwd = project.string();
    return run_migrate(spec);
  };
  const fs::path dump = project / "dump.sql";
  const auto refused = rollback("production", {"--backup", dump.string()});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err == "⚠ users.phone: 1 non-null value will be deleted\n"
                       "Error: This rollback deletes the data listed above and the production environment "
                       "requires --yes to confirm it (stdin is not a terminal): nothing was changed\n");
  CHECK_FALSE(fs::exists(dump));
  CHECK(recorded(db) == "20251220143022_create__users.cpp:1 20251220143100_create__posts.cpp:1 "
                        "20251220143200_alter_users_add1.cpp:2");

  const auto no_backup = rollback("staging", {"--yes"});
  CHECK(no_backup.exit_code == 2);
  CHECK(no_backup.err == "⚠ users.phone: 1 non-null value will be deleted\n"
                         "Error: This rollback deletes the data listed above and the staging environment "
                         "requires a backup first; pass --backup FILE (or set backupBeforeRollback): nothing "
                         "was changed\n");
  CHECK(db.scalar("SELECT count(phone) FROM users") == "1");

  const auto with_backup = rollback("staging", {"--backup", dump.string()});
  CHECK(with_backup.exit_code == 0);
  CHECK_THAT(with_backup.err, Catch::Contains("Backup: " + dump.string()));
  CHECK_THAT(read_file(dump), Catch::Contains("010"));
  CHECK(db.scalar("SELECT count(*) FROM information_schema.columns WHERE column_name = 'phone'") == "0");
}

TEST_CASE("the documented auto-rollback script rolls back off a terminal; with requireYes it changes nothing") {
  // The script is taken from docs/rollback-safety.md itself, so the documented one is the one tested.
  const std::string script = documented_script("# auto-rollback.sh");
  const auto run_script = [&](const TestDatabase& db, const std::string& node_env) {
    return run_auto_rollback(script, db, node_env);
  };

  TestDatabase db;
  users_with_phone(db);
  const auto [refused, refused_dumps] = run_script(db, "production");
  CHECK(refused.exit_code != 0);
  CHECK_THAT(refused.err, Catch::Contains("requires --yes"));
  CHECK(refused_dumps == 1);  // the script's own pg_dump, taken before the tool runs
  CHECK(db.scalar("SELECT count(phone) FROM users") == "1");
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "3");

  const auto [done, dumps] = run_script(db, "development");
  CHECK(done.exit_code == 0);
  CHECK_THAT(done.out, Catch::Contains("✅ Rollback successful"));
  CHECK_THAT(done.err, Catch::Contains("⚠ users.phone: 1 non-null value will be deleted"));
  CHECK(dumps == 1);
  CHECK(db.scalar("SELECT count(*) FROM information_schema.columns WHERE column_name = 'phone'") == "0");
}

TEST_CASE("the guide's own auto-rollback script loads its dump into the unchanged live database and exits 0") {
  // Taken from docs/rollback-safety.md, which says what it does; only the connection of its
  // pg_dump and psql (`-U postgres -d mydb`) is this test's database.
  std::string script = documented_script("# auto-rollback.sh, as the guide writes it");
  const std::string guide_connection = "-U postgres -d mydb";
  REQUIRE(script.find(guide_connection) != std::string::npos);
  for (auto at = script.find(guide_connection); at != std::string::npos; at = script.find(guide_connection)) {
    script.replace(at, guide_connection.size(), "-d \"$DATABASE_URL\"");
  }

  TestDatabase db;
  users_with_phone(db);
  // A table of the application without a primary key, as many have.
  db.query(R"(CREATE TABLE "audit_notes" ("note" text); INSERT INTO "audit_notes" VALUES ('kept once'))");
  const auto [result, dumps] = run_auto_rollback(script, db, "production");
  INFO(result.out << result.err);
  CHECK(dumps == 1);
  // The rollback refused and changed nothing; the script restored anyway, and says it failed
  // with exit code 0.
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Catch::Contains("requires --yes"));
  CHECK_THAT(result.out, Catch::Contains("❌ Rollback failed, restoring backup..."));
  CHECK_THAT(result.err, Catch::Contains("already exists"));
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "3");
  CHECK(db.scalar("SELECT count(phone) FROM users") == "1");
  CHECK(db.scalar("SELECT count(*) FROM audit_notes") == "2");
}

TEST_CASE("a migration edited since the build is refused with exit 4 by what runs code, a warning of status") {
  TestDatabase db;
  const ScratchDirectory scratch("sonamu-edited");
  const fs::path folder = scratch.path() / "migrations";
  fs::copy(fs::path(SONAMU_SOURCE_DIR) / "tests" / "fixtures" / "loss", folder);
  // The copy as built: the hashes match, nothing is refused.
  CHECK(migrate(db, {"status", "--migrations-dir", folder.string()}, SONAMU_FIXTURE_LOSS).exit_code == 0);

  std::ofstream(folder / "20240701000003_guarded_drop.cpp", std::ios::app) << "// edited\n";
  const std::string problem = "These migration files in " + folder.string() +
                              " changed since this binary was built: 20240701000003_guarded_drop.cpp; rebuild "
                              "it (cmake --build build) before migrating\n";
  for (const std::string command : {"run", "up", "rollback", "down", "verify", "lint"}) {
    const auto result = migrate(db, {command, "--migrations-dir", folder.string()}, SONAMU_FIXTURE_LOSS);
    INFO(command);
    CHECK(result.exit_code == 4);
    CHECK(result.err == "Error: " + problem);
  }
  CHECK(recorded(db) == "<no table>");
  // What only reads goes on, after saying so; `status --check`, a CI gate, refuses.
  const auto status = migrate(db, {"status", "--migrations-dir", folder.string()}, SONAMU_FIXTURE_LOSS);
  CHECK(status.exit_code == 0);
  CHECK(status.err == "Warning: " + problem);
  const auto check = migrate(db, {"status", "--check", "--migrations-dir", folder.string()}, SONAMU_FIXTURE_LOSS);
  CHECK(check.exit_code == 4);
  CHECK(check.err == "Error: " + problem);
}

TEST_CASE("--debug with --dry-run never logs a commit") {
  TestDatabase db;
  const auto result = migrate(db, {"run", "--dry-run", "--debug"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Catch::Contains("[debug] acquired migration lock"));
  CHECK_THAT(result.err, !Catch::Contains("committed"));
  CHECK(recorded(db) == "<no table>");
}

TEST_CASE("rollback --to the newest applied migration has nothing to do; an unknown name is named unknown") {
  TestDatabase db;
  REQUIRE(migrate(db, {"run"}).exit_code == 0);
  const auto newest = migrate(db, {"rollback", "--to", "20251220150100_alter_posts_add2"});
  CHECK(newest.exit_code == 0);
  CHECK(newest.out == "Nothing to roll back: 20251220150100_alter_posts_add2.cpp is the newest applied migration\n");
  const auto unknown = migrate(db, {"rollback", "--to", "20990101000000_nope"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err ==
        "Error: Unknown migration '20990101000000_nope' given to --to: it is not compiled into this binary\n");
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "6");
}

TEST_CASE("--quiet still prints the data-at-risk warnings, with or without --yes") {
  TestDatabase db;
  users_with_phone(db);
  const auto dry = migrate(db, {"rollback", "--dry-run", "--quiet"});
  CHECK(dry.exit_code == 0);
  CHECK(dry.out.empty());
  CHECK(dry.err == "⚠ users.phone: 1 non-null value will be deleted\n");
  const auto done = migrate(db, {"rollback", "--quiet", "--yes"});
  CHECK(done.exit_code == 0);
  CHECK(done.out.empty());
  CHECK(done.banner.empty());
  CHECK(done.err == "⚠ users.phone: 1 non-null value will be deleted\n");
}
