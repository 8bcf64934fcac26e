// The five commands as a user runs them: exact output, exit code, resulting database.
#include "e2e.hpp"

#include <catch2/catch.hpp>

#include <regex>

using namespace sonamu::test;

namespace {

const auto cpp = bundled(".cpp");
const auto ts = bundled(".ts");

/// Column names of a table, in order.
std::string columns_of(const TestDatabase& db, const std::string& table) {
  return db.scalar(
      "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM "
      "information_schema.columns WHERE table_schema = 'public' AND table_name = $1", table);
}

/// Rows of knex_migrations as "name:batch" in id order.

/// The guide's state: batch 1 = users, posts; batch 2 = alter_users_add1; names as `.ts`.
void guide_two_batches(const TestDatabase& db) {
  REQUIRE(migrate(db, {"run", "--to", "20251220143100_create__posts", "--extension", ".ts"}).exit_code == 0);
  REQUIRE(migrate(db, {"up", "--extension", ".ts"}).exit_code == 0);
}

}  // namespace

TEST_CASE("status on a new database lists everything as pending and creates nothing") {
  TestDatabase db;
  const auto result = migrate(db, {"status"});
  CHECK(result.exit_code == 0);
  CHECK(result.out == "No executed migrations\n\nPending migrations:\n" + lines("  ⏳ ", cpp));
  CHECK(result.err.empty());
  CHECK_FALSE(db.has_table("knex_migrations"));
  CHECK_FALSE(db.has_table("knex_migrations_lock"));
}

TEST_CASE("run applies every pending migration as batch 1, then has nothing to do") {
  TestDatabase db;
  const auto result = migrate(db, {"run"});
  CHECK(result.exit_code == 0);
  CHECK(result.out == "Batch 1 run: 6 migrations\n" + lines("✅ ", cpp));
  CHECK(result.err.empty());
  CHECK(columns_of(db, "users") == "id,email,phone,nickname");
  CHECK(columns_of(db, "posts") == "id,user_id,title,body");
  CHECK(db.scalar("SELECT count(*) FROM pg_constraint WHERE conname = 'posts_user_id_foreign'") == "1");
  CHECK(recorded(db) ==
        "20251220143022_create__users.cpp:1 20251220143100_create__posts.cpp:1 "
        "20251220143200_alter_users_add1.cpp:1 20251220143300_alter_posts_add1.cpp:1 "
        "20251220150000_alter_users_add2.cpp:1 20251220150100_alter_posts_add2.cpp:1");
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations WHERE migration_time IS NULL") == "0");
  CHECK(db.scalar("SELECT count(*) || ':' || max(is_locked) FROM knex_migrations_lock") == "1:0");

  const auto again = migrate(db, {"run"});
  CHECK(again.exit_code == 0);
  CHECK(again.out == "Already up to date\n");
}

TEST_CASE("the bookkeeping tables are exactly the ones knex creates") {
  TestDatabase db;
  REQUIRE(migrate(db, {"run"}).exit_code == 0);
  CHECK(db.scalar("SELECT string_agg(column_name || ' ' || data_type || ' ' || "
                  "COALESCE(character_maximum_length::text, '-') || ' ' || is_nullable || ' ' || "
                  "COALESCE(column_default, '-'), '; ' ORDER BY ordinal_position) "
                  "FROM information_schema.columns WHERE table_name = 'knex_migrations'") ==
        "id integer - NO nextval('knex_migrations_id_seq'::regclass); "
        "name character varying 255 YES -; batch integer - YES -; "
        "migration_time timestamp with time zone - YES -");
  CHECK(db.scalar("SELECT string_agg(column_name || ' ' || data_type || ' ' || is_nullable || ' ' || "
                  "COALESCE(column_default, '-'), '; ' ORDER BY ordinal_position) "
                  "FROM information_schema.columns WHERE table_name = 'knex_migrations_lock'") ==
        "index integer NO nextval('knex_migrations_lock_index_seq'::regclass); "
        "is_locked integer YES -");
  CHECK(db.scalar("SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint WHERE "
                  "conrelid IN ('knex_migrations'::regclass, 'knex_migrations_lock'::regclass)") ==
        "knex_migrations_lock_pkey,knex_migrations_pkey");
}

TEST_CASE("status shows the guide's two batches and the pending migrations") {
  TestDatabase db;
  guide_two_batches(db);
  const auto result = migrate(db, {"status", "--extension", ".ts"});
  CHECK(result.exit_code == 0);
  CHECK(result.out ==
        "Executed migrations (Batch 1):\n"
        "  ✅ 20251220143022_create__users.ts\n"
        "  ✅ 20251220143100_create__posts.ts\n"
        "\n"
        "Executed migrations (Batch 2):\n"
        "  ✅ 20251220143200_alter_users_add1.ts\n"
        "\n"
        "Pending migrations:\n"
        "  ⏳ 20251220143300_alter_posts_add1.ts\n"
        "  ⏳ 20251220150000_alter_users_add2.ts\n"
        "  ⏳ 20251220150100_alter_posts_add2.ts\n");
  CHECK(db.scalar("SELECT is_locked FROM knex_migrations_lock") == "0");
}

TEST_CASE("status with everything applied says nothing is pending") {
  TestDatabase db;
  REQUIRE(migrate(db, {"run"}).exit_code == 0);
  const auto result = migrate(db, {"status"});
  CHECK(result.out == "Executed migrations (Batch 1):\n" + lines("  ✅ ", cpp) + "\nNo pending migrations\n");
}

TEST_CASE("up applies one migration per batch") {
  TestDatabase db;
  auto first = migrate(db, {"up"});
  CHECK(first.exit_code == 0);
  CHECK(first.out == "Batch 1 run: 1 migration\n✅ 20251220143022_create__users.cpp\n");
  auto second = migrate(db, {"up"});
  CHECK(second.out == "Batch 2 run: 1 migration\n✅ 20251220143100_create__posts.cpp\n");
  CHECK(recorded(db) == "20251220143022_create__users.cpp:1 20251220143100_create__posts.cpp:2");
}

TEST_CASE("rollback reverts the latest batch: the guide's basic rollback") {
  TestDatabase db;
  guide_two_batches(db);
  const auto result = migrate(db, {"rollback"});
  CHECK(result.exit_code == 0);
  CHECK(result.out == "Batch 2 rolled back: 1 migration\n✅ 20251220143200_alter_users_add1.ts\n");
  CHECK(columns_of(db, "users") == "id,email");
  CHECK(recorded(db) == "20251220143022_create__users.ts:1 20251220143100_create__posts.ts:1");
}

TEST_CASE("rollback of batch 3 keeps batches 2 and 1 (partial rollback scenario)") {
  TestDatabase db;
  guide_two_batches(db);
  REQUIRE(migrate(db, {"run", "--extension", ".ts"}).out ==
          "Batch 3 run: 3 migrations\n✅ 20251220143300_alter_posts_add1.ts\n"
          "✅ 20251220150000_alter_users_add2.ts\n✅ 20251220150100_alter_posts_add2.ts\n");
  const auto result = migrate(db, {"rollback"});
  CHECK(result.exit_code == 0);
  CHECK(result.out ==
        "Batch 3 rolled back: 3 migrations\n"
        "✅ 20251220150100_alter_posts_add2.ts\n"
        "✅ 20251220150000_alter_users_add2.ts\n"
        "✅ 20251220143300_alter_posts_add1.ts\n");
  CHECK(columns_of(db, "users") == "id,email,phone");
  CHECK(columns_of(db, "posts") == "id,user_id,title");
  CHECK(db.scalar("SELECT count(*) FROM pg_constraint WHERE conname IN "
                  "('posts_user_id_foreign', 'users_nickname_unique')") == "0");
  CHECK(recorded(db) ==
        "20251220143022_create__users.ts:1 20251220143100_create__posts.ts:1 "
        "20251220143200_alter_users_add1.ts:2");
}

TEST_CASE("down twice reverts one migration at a time, as the guide shows") {
  TestDatabase db;
  guide_two_batches(db);
  const auto first = migrate(db, {"down"});
  CHECK(first.exit_code == 0);
  CHECK(first.out == "Batch 2 rolled back: 1 migration\n✅ 20251220143200_alter_users_add1.ts\n");
  const auto second = migrate(db, {"down"});
  CHECK(second.exit_code == 0);
  CHECK(second.out == "Batch 1 rolled back: 1 migration\n✅ 20251220143100_create__posts.ts\n");
  CHECK(db.has_table("users"));
  CHECK_FALSE(db.has_table("posts"));
  CHECK(recorded(db) == "20251220143022_create__users.ts:1");
}

TEST_CASE("rollback --all reverts batch after batch, exactly as the guide prints it") {
  TestDatabase db;
  guide_two_batches(db);
  const auto result = migrate(db, {"rollback", "--all"});
  CHECK(result.exit_code == 0);
  CHECK(result.out ==
        "Batch 2 rolled back: 1 migration\n"
        "✅ 20251220143200_alter_users_add1.ts\n"
        "\n"
        "Batch 1 rolled back: 2 migrations\n"
        "✅ 20251220143100_create__posts.ts\n"
        "✅ 20251220143022_create__users.ts\n"
        "\n"
        "All migrations rolled back successfully\n");
  CHECK_FALSE(db.has_table("users"));
  CHECK_FALSE(db.has_table("posts"));
  CHECK(recorded(db).empty());
  CHECK(db.scalar("SELECT count(*) || ':' || max(is_locked) FROM knex_migrations_lock") == "1:0");
}

TEST_CASE("rollback, rollback --all and down with nothing applied exit 0") {
  TestDatabase db;
  for (const auto& args : std::vector<std::vector<std::string>>{{"rollback"}, {"rollback", "--all"}, {"down"}}) {
    const auto result = migrate(db, args);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "Already at the base migration\n");
  }
}

TEST_CASE("--verbose prints the guide's Verbose Logs block, byte for byte but the time") {
  TestDatabase db;
  guide_two_batches(db);
  const auto result = migrate(db, {"rollback", "--verbose"});
  CHECK(result.exit_code == 0);
  // The guide's block as it prints it, after `pnpm sonamu migrate rollback --verbose`.
  const std::string guide = "Rolling back migration: 20251220143200_alter_users_add1.ts\n"
                            "SQL: ALTER TABLE \"users\" DROP COLUMN \"phone\"\n"
                            "✅ Completed in 23ms\n"
                            "\n"
                            "Batch 2 rolled back: 1 migration\n";
  const auto with_guide_time = [](const std::string& out) {
    return std::regex_replace(out, std::regex("Completed in [0-9]+ms"), "Completed in 23ms");
  };
  CHECK(with_guide_time(result.out) == guide);

  const auto run = migrate(db, {"run", "--to", "20251220143200_alter_users_add1", "--verbose"});
  CHECK(with_guide_time(run.out) == "Running migration: 20251220143200_alter_users_add1.cpp\n"
                                     "SQL: ALTER TABLE \"users\" ADD COLUMN \"phone\" varchar(20) NULL\n"
                                     "✅ Completed in 23ms\n"
                                     "\n"
                                     "Batch 2 run: 1 migration\n");
  // Each statement's own duration is a --debug line.
  const auto rolled = migrate(db, {"rollback", "--verbose", "--debug"});
  CHECK_THAT(rolled.err, Catch::Contains("statement completed in "));
}

TEST_CASE("a database shared with knex: rows named *.ts are the same migrations") {
  TestDatabase db;
  // What knex leaves behind after running the first three migrations from .ts files.
  db.query(R"(CREATE TABLE "knex_migrations" ("id" serial primary key, "name" varchar(255), "batch" integer, "migration_time" timestamptz);
              CREATE TABLE "knex_migrations_lock" ("index" serial primary key, "is_locked" integer);
              INSERT INTO "knex_migrations_lock" ("is_locked") VALUES (0);
              CREATE TABLE "users" ("id" serial primary key, "email" varchar(255) not null);
              CREATE TABLE "posts" ("id" serial primary key, "user_id" integer not null, "title" varchar(255) not null);
              ALTER TABLE "users" ADD COLUMN "phone" varchar(20) null;
              INSERT INTO knex_migrations (name, batch, migration_time) VALUES
                ('20251220143022_create__users.ts', 1, now()),
                ('20251220143100_create__posts.ts', 1, now()),
                ('20251220143200_alter_users_add1.ts', 1, now());)");
  const auto run = migrate(db, {"run"});
  CHECK(run.exit_code == 0);
  CHECK(run.out == "Batch 2 run: 3 migrations\n" +
                       lines("✅ ", {cpp[3], cpp[4], cpp[5]}));
  const auto status = migrate(db, {"status"});
  CHECK(status.out == "Executed migrations (Batch 1):\n" + lines("  ✅ ", {ts[0], ts[1], ts[2]}) +
                          "\nExecuted migrations (Batch 2):\n" + lines("  ✅ ", {cpp[3], cpp[4], cpp[5]}) +
                          "\nNo pending migrations\n");
  CHECK(migrate(db, {"rollback"}).exit_code == 0);
  const auto rollback = migrate(db, {"rollback"});
  CHECK(rollback.out == "Batch 1 rolled back: 3 migrations\n" + lines("✅ ", {ts[2], ts[1], ts[0]}));
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations_lock") == "1");
}

TEST_CASE("--schema and --table place the bookkeeping tables") {
  TestDatabase db;
  db.query("CREATE SCHEMA \"ops; --\"");
  const auto result = migrate(db, {"run", "--schema", "ops; --", "--table", "my \"migrations\""});
  CHECK(result.exit_code == 0);
  CHECK(db.has_table("my \"migrations\"", "ops; --"));
  CHECK(db.has_table("my \"migrations\"_lock", "ops; --"));
  // The history table sits next to them, named after the bookkeeping table.
  CHECK(db.has_table("my \"migrations\"_history", "ops; --"));
  CHECK_FALSE(db.has_table("knex_migrations"));
  CHECK_FALSE(db.has_table("knex_migrations_history"));
  CHECK(migrate(db, {"status", "--schema", "ops; --", "--table", "my \"migrations\""}).out ==
        "Executed migrations (Batch 1):\n" + lines("  ✅ ", cpp) + "\nNo pending migrations\n");
}

TEST_CASE("--help works for every command") {
  // Each command, its description and options only it has.
  const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> commands = {
      {{"migrate", "run"}, {"Apply all pending migrations as one new batch, in one transaction", "--to", "--dry-run", "--json", "--statement-timeout", "--lock-timeout-sql", "--lock-timeout", "--lock-attempts", "--lock-retry-delay"}},
      {{"migrate", "up"}, {"Apply the next pending migration as a batch of its own", "--dry-run", "--json"}},
      {{"migrate", "rollback"}, {"Revert the latest batch (or every batch with --all)", "--all", "--to", "--step", "--yes", "--backup", "--force", "--dry-run"}},
      {{"migrate", "down"}, {"Revert the single most recently applied migration", "--yes", "--backup", "--force", "--dry-run"}},
      {{"migrate", "status"}, {"List executed migrations by batch, then pending ones (read-only)", "--check", "--json"}},
      {{"migrate", "make"}, {"Create migrations/YYYYMMDDHHMMSS_NAME.cpp (or .sql with --sql) from a template", "name", "--sql"}},
      {{"migrate", "verify"}, {"Check that down undoes up: up, down, up in a transaction that is rolled back", "--all", "--verbose"}},
      {{"migrate", "history"}, {"Show what was run, rolled back, forgotten or marked, newest first", "--limit", "--json"}},
      {{"migrate", "unlock"}, {"Reset knex's lock row left at is_locked = 1 by a crashed tool", "--lock-timeout"}},
      {{"migrate", "lint"}, {"Rehearse the pending migrations and report the locks and rewrites they cause on existing tables", "--fail-on", "--large-table", "--disable", "--json", "--lock-timeout-sql"}},
      {{"migrate", "forget"}, {"Delete the record of a migration without running its down", "--yes"}},
      {{"migrate", "mark"}, {"Record a migration as applied without running its up", "--yes"}},
      {{"migrate", "accept"}, {"Take the edited source of an applied migration as the one it was applied with", "name", "--lock-timeout"}},
      {{"migrate", "schema"}, {"Print the live schema read from PostgreSQL's catalog (--file writes it, --check compares)", "--file", "--check", "--json", "--statement-timeout", "--lock-timeout-sql"}},
      {{"migrate"}, {"Apply, revert and inspect migrations", "run", "rollback", "verify", "forget"}},
      {{"completion"}, {"Print a shell completion script", "bash or zsh"}},
      {{}, {"sonamu: PostgreSQL migrations compiled into one binary, knex-compatible", "migrate", "completion", "--version"}},
  };
  for (const auto& [words, expected] : commands) {
    ProcessSpec spec;
    spec.argv = {SONAMU_BINARY};
    spec.argv.insert(spec.argv.end(), words.begin(), words.end());
    spec.argv.push_back("--help");
    spec.cwd = empty_directory();
    const auto result = run_process(spec);
    std::string usage = "Usage: sonamu";
    for (const auto& word : words) usage += " " + word;
    INFO(usage << "\n" << result.out);
    CHECK(result.exit_code == 0);
    CHECK(result.err.empty());
    CHECK_THAT(result.out, Catch::StartsWith(expected.front() + "\n" + usage + " "));
    for (std::size_t i = 1; i < expected.size(); ++i) CHECK_THAT(result.out, Catch::Contains(expected[i]));
    // Commands that reach a database say how.
    const bool connects = words.size() == 2 && words[1] != "make";
    CHECK((result.out.find("--connection") != std::string::npos) == connects);
  }
}

/// What verify says on stderr before it runs anything, at the default limits.
const std::string verify_notice =
    "Verify runs up, down and up in one transaction and keeps every lock they take until it ends (ACCESS EXCLUSIVE "
    "for most schema changes): queries of those tables wait meanwhile. Each statement waits at most 5s for a lock "
    "(lock_timeout) and runs without a time limit (--statement-timeout sets one).\n";

TEST_CASE("every command that writes first says where, on stderr; read-only ones do not") {
  TestDatabase db;
  const std::string banner = "Environment: development, database: " + server_description(db.name());
  const std::vector<std::pair<std::vector<std::string>, bool>> commands = {
      {{"status"}, false}, {{"run"}, true}, {{"history"}, false}, {{"rollback"}, true},
      {{"up"}, true}, {{"down"}, true}, {{"verify"}, true}, {{"unlock"}, true},
      {{"mark", "20251220143022_create__users", "--yes"}, true},
      {{"forget", "20251220143022_create__users", "--yes"}, true}};
  for (const auto& [args, writes] : commands) {
    const auto result = migrate(db, args);
    INFO(args.front() << ": " << result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.banner == (writes ? banner : ""));
    // verify also says, before it runs, that it keeps its locks until it ends.
    CHECK(result.err == (args.front() == "verify" ? verify_notice : ""));
  }
}
