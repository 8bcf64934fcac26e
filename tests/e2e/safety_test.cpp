// Rollback safety: rehearsal, reversibility check, data-loss report, backups, history, targets.
#include "e2e.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/transaction>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>

using namespace sonamu::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {


/// Batch 1 = users, posts; batch 2 = alter_users_add1; batch 3 = the other three.
void three_batches(const TestDatabase& db) {
  REQUIRE(migrate(db, {"run", "--to", "20251220143100_create__posts"}).exit_code == 0);
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  REQUIRE(migrate(db, {"run"}).exit_code == 0);
}

}  // namespace

TEST_CASE("run --dry-run shows every statement and changes nothing") {
  TestDatabase db;
  const auto result = migrate(db, {"run", "--dry-run"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::StartsWith("Dry run: every statement runs in one transaction that is "
                                           "rolled back; lock_timeout 2s\n"
                                           "Running migration: 20251220143022_create__users.cpp\n"
                                           "SQL: CREATE TABLE \"users\""));
  CHECK_THAT(result.out, Catch::Contains("\nBatch 1 would run: 6 migrations\n"));
  CHECK_THAT(result.out, Catch::EndsWith("Dry run: nothing was changed\n"));
  CHECK_FALSE(db.has_table("users"));
  CHECK_FALSE(db.has_table("knex_migrations"));
}

TEST_CASE("a dry run of a rollback whose down does not match fails here, not in production") {
  TestDatabase db;
  three_batches(db);
  db.query(R"(ALTER TABLE "users" DROP COLUMN "nickname")");
  const auto result = migrate(db, {"rollback", "--dry-run"});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains("❌ Error rolling back 20251220150000_alter_users_add2.cpp\n"
                                         "   Error: column \"nickname\" of relation \"users\" does not exist\n"));
  CHECK_THAT(result.out, Catch::EndsWith("Dry run: nothing was changed\n"));
  CHECK(db.scalar("SELECT count(*) FROM pg_constraint WHERE conname = 'posts_user_id_foreign'") == "1");
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "6");
}

TEST_CASE("rollback --all --dry-run rehearses every batch in one transaction") {
  TestDatabase db;
  three_batches(db);
  db.query(R"(INSERT INTO "users" ("email") VALUES ('a@example.com'))");
  const auto result = run_migrate(migrate_spec(db, {"rollback", "--all", "--dry-run"}, SONAMU_BINARY,
                                               {{"NODE_ENV", "production"}}));
  CHECK(result.exit_code == 0);  // no --force, no --yes needed: nothing changes
  CHECK_THAT(result.out, Catch::Contains("Batch 3 would be rolled back: 3 migrations\n"));
  CHECK_THAT(result.out, Catch::Contains("Batch 2 would be rolled back: 1 migration\n"));
  CHECK_THAT(result.out, Catch::Contains("Batch 1 would be rolled back: 2 migrations\n"));
  CHECK_THAT(result.err, Catch::Contains("⚠ users: 1 row will be deleted\n"));
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "6");
  CHECK(db.scalar("SELECT count(*) FROM users") == "1");
}

TEST_CASE("a dry run lists non-transactional migrations as skipped") {
  TestDatabase db;
  const auto result = migrate(db, {"run", "--dry-run"}, SONAMU_FIXTURE_NONTX);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("Skipped 20240301000002_index_items.cpp: it runs without a "
                                         "transaction, so a dry run cannot rehearse it\n"));
  CHECK_FALSE(db.has_table("items"));
}

TEST_CASE("rollback --to and --step revert exactly the named span, atomically") {
  TestDatabase db;
  three_batches(db);
  const auto to = migrate(db, {"rollback", "--to", "20251220143100_create__posts"});
  CHECK(to.exit_code == 0);
  CHECK(to.out == "Rolled back: 4 migrations\n"
                  "✅ 20251220150100_alter_posts_add2.cpp\n✅ 20251220150000_alter_users_add2.cpp\n"
                  "✅ 20251220143300_alter_posts_add1.cpp\n✅ 20251220143200_alter_users_add1.cpp\n");
  CHECK(recorded(db) == "20251220143022_create__users.cpp:1 20251220143100_create__posts.cpp:1");
  CHECK(migrate(db, {"rollback", "--to", "20251220150000_alter_users_add2"}).exit_code == 2);

  REQUIRE(migrate(db, {"run"}).exit_code == 0);
  const auto step = migrate(db, {"rollback", "--step", "2"});
  CHECK(step.out == "Batch 2 rolled back: 2 migrations\n"
                    "✅ 20251220150100_alter_posts_add2.cpp\n✅ 20251220150000_alter_users_add2.cpp\n");
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "4");
}

TEST_CASE("data at stake: warned on stderr off a terminal, then rolled back; nothing to warn about without data") {
  TestDatabase db;
  three_batches(db);
  db.query(R"(INSERT INTO "users" ("email", "phone") VALUES ('a@example.com', '010'), ('b@example.com', NULL))");
  // Batch 3's downs drop columns that hold nothing: no warning.
  const auto quiet_rollback = migrate(db, {"rollback"});
  CHECK(quiet_rollback.exit_code == 0);
  CHECK(quiet_rollback.err.empty());
  const auto warned = migrate(db, {"rollback", "--to", "20251220143100_create__posts"});
  CHECK(warned.exit_code == 0);
  CHECK(warned.err ==
        "⚠ users.phone: 1 non-null value will be deleted\n"
        "stdin is not a terminal: rolling back without confirmation\n");
  CHECK(warned.out == "Batch 2 rolled back: 1 migration\n✅ 20251220143200_alter_users_add1.cpp\n");
  CHECK(db.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'phone'") == "0");
}

TEST_CASE("an irreversible migration refuses to roll back unless forced") {
  TestDatabase db;
  REQUIRE(migrate(db, {"run"}, SONAMU_FIXTURE_SAFETY).exit_code == 0);
  const auto refused = migrate(db, {"down"}, SONAMU_FIXTURE_SAFETY);
  CHECK(refused.exit_code == 1);
  CHECK(refused.err == "❌ Error rolling back 20240501000004_purge_inactive.cpp\n"
                       "   Error: irreversible: deleted people cannot be restored (--force deletes its "
                       "record without running down)\n");
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "4");
  const std::string skipped =
      "Skipped 20240501000004_purge_inactive.cpp: its down was not run (irreversible: deleted people cannot be "
      "restored); --force deletes its record only\n";
  const auto forced = migrate(db, {"down", "--force"}, SONAMU_FIXTURE_SAFETY);
  CHECK(forced.exit_code == 0);
  CHECK(forced.out == skipped + "Batch 1 rolled back: 1 migration\n✅ 20240501000004_purge_inactive.cpp\n");
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "3");
  CHECK(db.scalar("SELECT action FROM knex_migrations_history ORDER BY id DESC LIMIT 1") == "forced down");

  // rollback takes --force too: the irreversible record goes, the other downs run.
  REQUIRE(migrate(db, {"up"}, SONAMU_FIXTURE_SAFETY).exit_code == 0);
  const auto rollback_refused = migrate(db, {"rollback"}, SONAMU_FIXTURE_SAFETY);
  CHECK(rollback_refused.exit_code == 1);
  CHECK(rollback_refused.err == refused.err);
  const auto rollback_forced = migrate(db, {"rollback", "--force"}, SONAMU_FIXTURE_SAFETY);
  CHECK(rollback_forced.exit_code == 0);
  CHECK(rollback_forced.out == skipped + "Batch 2 rolled back: 1 migration\n✅ 20240501000004_purge_inactive.cpp\n");
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "3");
  CHECK(db.scalar("SELECT action FROM knex_migrations_history ORDER BY id DESC LIMIT 1") == "forced rollback");

  // --json lists it in `skipped`, with the same reason.
  REQUIRE(migrate(db, {"up"}, SONAMU_FIXTURE_SAFETY).exit_code == 0);
  const json forced_json = json::parse(migrate(db, {"rollback", "--force", "--json"}, SONAMU_FIXTURE_SAFETY).out);
  REQUIRE(forced_json["skipped"].size() == 1);
  CHECK(forced_json["skipped"][0]["name"] == "20240501000004_purge_inactive.cpp");
  CHECK(forced_json["skipped"][0]["reason"].get<std::string>() + "\n" ==
        skipped.substr(std::string("Skipped 20240501000004_purge_inactive.cpp: ").size()));
  CHECK(forced_json["batches"][0]["migrations"][0]["status"] == "rolled_back");
}

/// What verify says on stderr before it runs anything, at the default limits.
const std::string verify_notice =
    "Verify runs up, down and up in one transaction and keeps every lock they take until it ends (ACCESS EXCLUSIVE "
    "for most schema changes): queries of those tables wait meanwhile. Each statement waits at most 5s for a lock "
    "(lock_timeout) and runs without a time limit (--statement-timeout sets one).\n";

TEST_CASE("verify runs up, down, up in a transaction that is rolled back and reports the difference") {
  TestDatabase db;
  const auto result = migrate(db, {"verify"}, SONAMU_FIXTURE_SAFETY);
  CHECK(result.exit_code == 1);
  // It stops at the mismatch: later migrations would meet a schema they were not written for,
  // and it names each one it did not reach.
  CHECK(result.out == "✅ 20240501000001_create_people.cpp: down restores the schema (up, down, up)\n"
                      "✅ 20240501000002_add_phone.cpp: down restores the schema (up, down, up)\n"
                      "Skipped 20240501000004_purge_inactive.cpp: not verified, 20240501000003_bad_down.cpp "
                      "failed before it\n"
                      "Verify: nothing was changed\n");
  CHECK(result.err == verify_notice + "❌ 20240501000003_bad_down.cpp: down does not restore the schema\n"
                      "   left behind by down: column public.people.email text NULL\n");
  CHECK_FALSE(db.has_table("people"));
  CHECK_FALSE(db.has_table("knex_migrations"));

  CHECK(migrate(db, {"verify", "20240501000002_add_phone"}, SONAMU_FIXTURE_SAFETY).exit_code == 0);
  const auto irreversible = migrate(db, {"verify", "20240501000004_purge_inactive"}, SONAMU_FIXTURE_SAFETY);
  // Nothing was verified: that is no pass.
  CHECK(irreversible.exit_code == 1);
  CHECK(irreversible.out == "Skipped 20240501000004_purge_inactive.cpp: irreversible: deleted people cannot be "
                            "restored\nVerify: nothing was changed\n");
  CHECK(irreversible.err == verify_notice + "Error: verify checked no migration: each one it reached was skipped\n");
  // Every bundled migration is reversible.
  const auto bundled_migrations = migrate(db, {"verify"});
  CHECK(bundled_migrations.exit_code == 0);
  CHECK(bundled_migrations.err == verify_notice);
  REQUIRE(migrate(db, {"run"}).exit_code == 0);
  const auto nothing = migrate(db, {"verify"});
  CHECK(nothing.exit_code == 0);
  CHECK(nothing.err.empty());
  CHECK(nothing.out == "Nothing to verify: no migration is pending (--all reverts the applied ones first)\n"
                       "Verify: nothing was changed\n");
  const auto all = migrate(db, {"verify", "--all"});
  CHECK(all.exit_code == 0);
  CHECK(std::count(all.out.begin(), all.out.end(), '\n') == 7);
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "6");
}

TEST_CASE("--backup dumps the database first; a failed dump stops the rollback") {
  TestDatabase db;
  three_batches(db);
  const ScratchDirectory scratch("sonamu-backup");
  const fs::path file = scratch.path() / "backup.sql";
  const auto result = migrate(db, {"rollback", "--backup", file.string()});
  CHECK(result.exit_code == 0);
  CHECK(result.err == "Backup: " + file.string() + " (" + std::to_string(fs::file_size(file)) + " bytes)\n");
  std::ifstream dump(file);
  const std::string text((std::istreambuf_iterator<char>(dump)), std::istreambuf_iterator<char>());
  CHECK_THAT(text, Catch::Contains("CREATE TABLE public.users"));
  CHECK_THAT(text, Catch::Contains("nickname character varying(50)"));

  const auto failed = migrate(db, {"rollback", "--backup", "/nonexistent/folder/backup.sql"});
  CHECK(failed.exit_code == 1);
  CHECK_THAT(failed.err, Catch::StartsWith("Error: Backup to /nonexistent/folder/backup.sql failed ("));
  CHECK_THAT(failed.err, Catch::EndsWith("); nothing was rolled back\n"));
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "3");
}

TEST_CASE("history keeps every run, rollback, failure, forget and mark") {
  TestDatabase db;
  REQUIRE(migrate(db, {"run", "--to", "20251220143200_alter_users_add1"}).exit_code == 0);
  db.query(R"(ALTER TABLE "users" DROP COLUMN "phone")");
  REQUIRE(migrate(db, {"rollback"}).exit_code == 1);
  db.query(R"(ALTER TABLE "users" ADD COLUMN "phone" varchar(20))");
  REQUIRE(migrate(db, {"down"}).exit_code == 0);
  REQUIRE(migrate(db, {"forget", "20251220143100_create__posts", "--yes"}).exit_code == 0);
  REQUIRE(migrate(db, {"mark", "20251220143100_create__posts", "--yes"}).exit_code == 0);

  const auto listed = migrate(db, {"history", "--json", "--limit", "50"});
  CHECK(listed.exit_code == 0);
  const json history = json::parse(listed.out)["history"];
  std::vector<std::string> actions;
  for (const auto& entry : history) {
    actions.push_back(entry["action"].get<std::string>() + " " + entry["name"].get<std::string>() +
                      (entry["success"] == true ? "" : " failed"));
  }
  CHECK(actions == std::vector<std::string>{
                       "mark 20251220143100_create__posts.cpp",
                       "forget 20251220143100_create__posts.cpp",
                       "down 20251220143200_alter_users_add1.cpp",
                       "rollback 20251220143200_alter_users_add1.cpp failed",
                       "run 20251220143200_alter_users_add1.cpp",
                       "run 20251220143100_create__posts.cpp",
                       "run 20251220143022_create__users.cpp"});
  CHECK(history[3]["error"] == "column \"phone\" of relation \"users\" does not exist");
  CHECK(history[0]["db_user"].get<std::string>().size() > 0);
  CHECK(history[0]["tool_version"] != "");

  const auto text = migrate(db, {"history", "--limit", "2"});
  CHECK(std::regex_search(text.out, std::regex(R"(^20[0-9-]+T[0-9:.]+Z  mark      20251220143100_create__posts\.cpp  batch 2  [0-9]+ms  ✅)")));
  CHECK(std::count(text.out.begin(), text.out.end(), '\n') == 2);
}

TEST_CASE("backupBeforeRollback in the configuration takes the backup without a flag") {
  TestDatabase db;
  const ScratchDirectory scratch("sonamu-backup-config");
  const fs::path project = scratch.path();
  std::ofstream(project / "sonamu.config.json")
      << R"({"migrations": {"backupBeforeRollback": "dumps/before-rollback.sql"},
             "environments": {"development": {"connection": {"database": ")" << db.name() << R"("}}}})";
  fs::create_directories(project / "dumps");
  ProcessSpec run;
  run.argv = {SONAMU_BINARY, "migrate", "up"};
  run.cwd = project.string();
  run.env["DATABASE_URL"] = std::nullopt;
  REQUIRE(run_migrate(run).exit_code == 0);
  ProcessSpec rollback = run;
  rollback.argv = {SONAMU_BINARY, "migrate", "rollback"};
  const auto result = run_migrate(rollback);
  CHECK(result.exit_code == 0);
  const fs::path dump = project / "dumps" / "before-rollback.sql";
  CHECK(fs::exists(dump));
  CHECK_THAT(result.err, Catch::StartsWith("Backup: " + dump.string() + " ("));
}

TEST_CASE("on a terminal the data-loss confirmation is asked, and a refusal changes nothing") {
  TestDatabase db;
  REQUIRE(migrate(db, {"run", "--to", "20251220143200_alter_users_add1"}).exit_code == 0);
  db.query(R"(INSERT INTO "users" ("email", "phone") VALUES ('a@example.com', '010'))");
  const auto on_terminal = [&](const std::string& answer) {
    // `script` gives the command a terminal and types the answer into it.
    ProcessSpec spec;
    spec.argv = {"/bin/bash", "-c",
                 "printf '" + answer + "\\n' | timeout 60 script -qec \"$0 migrate rollback -c dbname=$1\" /dev/null",
                 SONAMU_BINARY, db.name()};
    spec.cwd = empty_directory();
    spec.env["DATABASE_URL"] = std::nullopt;
    return run_process(spec);
  };
  const auto refused = on_terminal("n");
  CHECK(refused.exit_code == 1);
  // The rollback drops the whole table: its rows are what is lost.
  CHECK_THAT(refused.out, Catch::Contains("users: 1 row will be deleted"));
  CHECK_THAT(refused.out, Catch::Contains("Roll back and delete this data? [y/N]"));
  CHECK_THAT(refused.out, Catch::Contains("Error: Rollback cancelled: nothing was changed"));
  CHECK(db.scalar("SELECT count(*) FROM users") == "1");
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "3");

  const auto accepted = on_terminal("y");
  CHECK(accepted.exit_code == 0);
  CHECK_THAT(accepted.out, Catch::Contains("Batch 1 rolled back: 3 migrations"));
  CHECK_FALSE(db.has_table("users"));
}

TEST_CASE("up and down rehearse too; --json says it was a dry run") {
  TestDatabase db;
  REQUIRE(migrate(db, {"run", "--to", "20251220143100_create__posts"}).exit_code == 0);
  const auto up = migrate(db, {"up", "--dry-run"});
  CHECK(up.exit_code == 0);
  CHECK_THAT(up.out, Catch::Contains("SQL: ALTER TABLE \"users\" ADD COLUMN \"phone\" varchar(20) NULL\n"));
  CHECK_THAT(up.out, Catch::Contains("Batch 2 would run: 1 migration\n"));
  const auto down = migrate(db, {"down", "--dry-run"});
  CHECK(down.exit_code == 0);
  CHECK_THAT(down.out, Catch::Contains("SQL: DROP TABLE \"posts\"\n"));
  CHECK_THAT(down.out, Catch::Contains("Batch 1 would be rolled back: 1 migration\n"));
  const json document = json::parse(migrate(db, {"down", "--dry-run", "--json"}).out);
  CHECK(document["dry_run"] == true);
  CHECK(document["batches"][0]["migrations"][0]["name"] == "20251220143100_create__posts.cpp");
  CHECK(recorded(db) == "20251220143022_create__users.cpp:1 20251220143100_create__posts.cpp:1");
  CHECK(db.has_table("posts"));
  CHECK(db.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'phone'") == "0");
}

TEST_CASE("a dry run that meets a table lock gives up after its lock_timeout, changing nothing") {
  TestDatabase db;
  REQUIRE(migrate(db, {"run", "--to", "20251220143200_alter_users_add1"}).exit_code == 0);
  // Another session (psql, an application) holds a lock the next migration's ALTER TABLE needs.
  auto session = db.connect();
  pqxx::work hold(*session);
  hold.exec(R"(LOCK TABLE "posts" IN ACCESS SHARE MODE)");
  // Without a lock_timeout the rehearsal would wait as long as the lock is held: the deadline
  // turns that into a failure.
  const auto rehearsal = run_migrate(migrate_spec(db, {"up", "--dry-run"}), std::chrono::seconds(30));
  CHECK(rehearsal.exit_code == 5);
  // The holder is looked up at a quarter of the limit and named (tests/e2e/progress_test.cpp);
  // whether the look ends before the limit does depends on the machine's load.
  const std::string holder = "held by pid " + std::to_string(session->backendpid()) + ", idle in transaction for [0-9]+ s";
  INFO(rehearsal.out);
  CHECK(std::regex_match(rehearsal.out, std::regex(
      "Dry run: every statement runs in one transaction that is rolled back; lock_timeout 2s\n"
      "Running migration: 20251220143300_alter_posts_add1\\.cpp\n"
      "SQL: ALTER TABLE \"posts\" ADD COLUMN \"body\" text NULL\n"
      "(Waiting [0-9.]+ s for lock on \"posts\" \\(AccessExclusiveLock\\) " + holder + "\n)?"
      "Dry run: nothing was changed\n")));
  const std::regex failure(
      "❌ Error running 20251220143300_alter_posts_add1\\.cpp\n"
      "   Error: canceling statement due to lock timeout\n"
      "(   Waited for lock on \"posts\" \\(AccessExclusiveLock\\) " + holder + "\n"
      "   Query of pid [0-9]+: LOCK TABLE \"posts\" IN ACCESS SHARE MODE\n)?"
      "   Its transaction was rolled back: nothing it did was kept\\. To go on, end the (transaction of pid [0-9]+|"
      "transaction that holds the lock), or give the lock more time with --lock-timeout-sql, and run the command "
      "again\n");
  INFO(rehearsal.err);
  CHECK(std::regex_match(rehearsal.err, failure));
  // --lock-timeout-sql sets another limit, and the first line says which.
  const auto explicit_limit =
      run_migrate(migrate_spec(db, {"up", "--dry-run", "--lock-timeout-sql", "100ms"}), std::chrono::seconds(30));
  CHECK(explicit_limit.exit_code == 5);
  CHECK_THAT(explicit_limit.out, Catch::StartsWith("Dry run: every statement runs in one transaction that is "
                                                   "rolled back; lock_timeout 100ms\n"));
  INFO(explicit_limit.err);
  CHECK(std::regex_match(explicit_limit.err, failure));
  hold.abort();
  CHECK(recorded(db) == "20251220143022_create__users.cpp:1 20251220143100_create__posts.cpp:1 "
                        "20251220143200_alter_users_add1.cpp:1");
  CHECK(db.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts' AND "
                  "column_name = 'body'") == "0");
}

TEST_CASE("verify reports constraints, indexes, enum types, comments and nullability that down gets wrong") {
  TestDatabase db;
  const auto verify = [&](const std::string& name) { return migrate(db, {"verify", name}, SONAMU_FIXTURE_VERIFY); };
  CHECK(verify("20240601000001_create_things").exit_code == 0);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"20240601000002_unique_left",
       "   left behind by down: constraint public.things things_code_unique: UNIQUE (code)\n"
       "   left behind by down: index CREATE UNIQUE INDEX things_code_unique ON public.things USING btree (code)\n"},
      {"20240601000003_index_left",
       "   left behind by down: index CREATE INDEX things_note_index ON public.things USING btree (note)\n"},
      {"20240601000004_enum_left", "   left behind by down: type public.mood enum ('happy', 'sad')\n"},
      {"20240601000005_comment_left", "   left behind by down: table comment public.things 'what things are'\n"},
      {"20240601000006_nullability_changed",
       "   left behind by down: column public.things.code character varying(255) NOT NULL\n"
       "   missing after down: column public.things.code character varying(255) NULL\n"},
  };
  for (const auto& [name, difference] : cases) {
    INFO(name);
    const auto result = verify(name);
    CHECK(result.exit_code == 1);
    CHECK(result.out == "Verify: nothing was changed\n");
    CHECK(result.err == verify_notice + "❌ " + name + ".cpp: down does not restore the schema\n" + difference);
  }
  CHECK_FALSE(db.has_table("things"));
  CHECK(db.scalar("SELECT count(*) FROM pg_type WHERE typname = 'mood'") == "0");
}

TEST_CASE("rollback --to and --step rehearse with --dry-run, changing nothing") {
  TestDatabase db;
  three_batches(db);
  const auto to = migrate(db, {"rollback", "--to", "20251220143100_create__posts", "--dry-run"});
  CHECK(to.exit_code == 0);
  CHECK_THAT(to.out, Catch::Contains("\nWould roll back: 4 migrations\n"));
  CHECK_THAT(to.out, Catch::EndsWith("Dry run: nothing was changed\n"));
  const auto step = migrate(db, {"rollback", "--step", "2", "--dry-run"});
  CHECK(step.exit_code == 0);
  CHECK_THAT(step.out, Catch::Contains("SQL: ALTER TABLE \"posts\" DROP CONSTRAINT \"posts_user_id_foreign\"\n"));
  CHECK_THAT(step.out, Catch::EndsWith("Dry run: nothing was changed\n"));
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "6");
  CHECK(db.scalar("SELECT count(*) FROM pg_constraint WHERE conname = 'posts_user_id_foreign'") == "1");
}
