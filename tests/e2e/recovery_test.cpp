// Non-transactional migrations, stuck locks, forced recovery, guards and bad input.
#include "e2e.hpp"

#include <catch2/catch.hpp>

using namespace sonamu::test;

namespace {


bool has_index(const TestDatabase& db, const std::string& name) {
  return db.scalar("SELECT count(*) FROM pg_indexes WHERE indexname = $1", name) == "1";
}

}  // namespace

TEST_CASE("a non-transactional migration splits its batch into parts, said up front") {
  TestDatabase db;
  const auto run = migrate(db, {"run"}, SONAMU_FIXTURE_NONTX);
  CHECK(run.exit_code == 0);
  CHECK(run.out ==
        "Batch 1 runs in 3 parts: [20240301000001_create_items.cpp] in one transaction; "
        "[20240301000002_index_items.cpp] without a transaction; "
        "[20240301000003_add_price.cpp, 20240301000004_maybe_fail.cpp] in one transaction\n"
        "Batch 1 run: 4 migrations\n"
        "✅ 20240301000001_create_items.cpp\n"
        "✅ 20240301000002_index_items.cpp\n"
        "✅ 20240301000003_add_price.cpp\n"
        "✅ 20240301000004_maybe_fail.cpp\n");
  CHECK(has_index(db, "items_name_index"));
  CHECK(db.scalar("SELECT bool_and(indisvalid) FROM pg_index WHERE indexrelid = 'items_name_index'::regclass") == "t");

  const auto rollback = migrate(db, {"rollback"}, SONAMU_FIXTURE_NONTX);
  CHECK(rollback.exit_code == 0);
  CHECK_THAT(rollback.out, Catch::StartsWith(
      "Batch 1 rolls back in 3 parts: [20240301000004_maybe_fail.cpp, 20240301000003_add_price.cpp] "
      "in one transaction; [20240301000002_index_items.cpp] without a transaction; "
      "[20240301000001_create_items.cpp] in one transaction\nBatch 1 rolled back: 4 migrations\n"));
  CHECK_FALSE(db.has_table("items"));
  CHECK(recorded(db).empty());
}

TEST_CASE("a failure after a non-transactional part reports exactly what is recorded; the next run resumes") {
  TestDatabase db;
  const auto failed = run_migrate(migrate_spec(db, {"run"}, SONAMU_FIXTURE_NONTX, {{"SONAMU_TEST_FAIL", "1"}}));
  CHECK(failed.exit_code == 1);
  CHECK(failed.err ==
        "❌ Error running 20240301000004_maybe_fail.cpp\n"
        "   Error: division by zero\n"
        "Batch 1 partly applied: recorded as applied: 20240301000001_create_items.cpp, "
        "20240301000002_index_items.cpp; not applied: 20240301000003_add_price.cpp, "
        "20240301000004_maybe_fail.cpp\n");
  CHECK(recorded(db) == "20240301000001_create_items.cpp:1 20240301000002_index_items.cpp:1");
  CHECK(has_index(db, "items_name_index"));
  CHECK(db.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND "
                  "column_name = 'price'") == "0");

  const auto resumed = migrate(db, {"run"}, SONAMU_FIXTURE_NONTX);
  CHECK(resumed.exit_code == 0);
  CHECK(resumed.out == "Batch 2 run: 2 migrations\n✅ 20240301000003_add_price.cpp\n"
                       "✅ 20240301000004_maybe_fail.cpp\n");
}

TEST_CASE("a lock row stuck at is_locked = 1 (left by knex): refused, then unlock fixes it") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  db.query("UPDATE knex_migrations_lock SET is_locked = 1");
  const auto blocked = migrate(db, {"run"});
  CHECK(blocked.exit_code == 5);
  CHECK(blocked.err ==
        "Error: Migration table is already locked: public.knex_migrations_lock has is_locked = 1, "
        "left by another tool; if no migration is running, run `sonamu migrate unlock`\n");
  CHECK(recorded(db) == "20251220143022_create__users.cpp:1");

  const auto unlock = migrate(db, {"unlock"});
  CHECK(unlock.exit_code == 0);
  CHECK(unlock.out == "Unlocked public.knex_migrations_lock: is_locked was 1, now 0\n");
  CHECK(migrate(db, {"unlock"}).out == "public.knex_migrations_lock was not locked: nothing changed\n");
  CHECK(migrate(db, {"run"}).exit_code == 0);
}

TEST_CASE("forget and mark change only the record, need --yes without a terminal, and say what changed") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  db.query("INSERT INTO knex_migrations (name, batch, migration_time) VALUES ('20200101000000_gone.ts', 2, now())");
  CHECK(migrate(db, {"status"}).exit_code == 4);

  const auto unconfirmed = migrate(db, {"forget", "20200101000000_gone"});
  CHECK(unconfirmed.exit_code == 2);
  CHECK(unconfirmed.err ==
        "Error: `migrate forget` changes the bookkeeping table without running the migration; "
        "pass --yes to confirm (stdin is not a terminal)\n");
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "2");

  const auto forgot = migrate(db, {"forget", "20200101000000_gone", "--yes"});
  CHECK(forgot.exit_code == 0);
  CHECK(forgot.out == "Forgot 20200101000000_gone.ts (batch 2): its record was deleted; its down function was not run\n");
  CHECK(migrate(db, {"status"}).exit_code == 0);

  const auto marked = migrate(db, {"mark", "20251220143100_create__posts.ts", "--yes"});
  CHECK(marked.exit_code == 0);
  CHECK(marked.out == "Marked 20251220143100_create__posts.cpp as applied in batch 2; its up function was not run\n");
  CHECK_FALSE(db.has_table("posts"));
  CHECK(recorded(db) == "20251220143022_create__users.cpp:1 20251220143100_create__posts.cpp:2");

  CHECK(migrate(db, {"mark", "20251220143100_create__posts", "--yes"}).exit_code == 2);
  CHECK(migrate(db, {"mark", "20990101000000_unknown", "--yes"}).exit_code == 2);
  const auto not_recorded = migrate(db, {"forget", "20251220150000_alter_users_add2", "-y"});
  CHECK(not_recorded.exit_code == 2);
  CHECK(not_recorded.err == "Error: Migration '20251220150000_alter_users_add2' is not recorded as applied\n");
}

TEST_CASE("rollback --all refuses in production unless --force (and, off a terminal, --yes)") {
  TestDatabase db;
  REQUIRE(migrate(db, {"run"}).exit_code == 0);
  const std::string refusal =
      "Error: Refusing `rollback --all` in production: it reverts every migration and drops every "
      "table they created; pass --force if that is really intended\n";
  const auto by_node_env = run_migrate(migrate_spec(db, {"rollback", "--all"}, SONAMU_BINARY, {{"NODE_ENV", "production"}}));
  CHECK(by_node_env.exit_code == 2);
  CHECK(by_node_env.err == refusal);
  const auto by_flag = migrate(db, {"rollback", "--all", "--env", "production"});
  CHECK(by_flag.exit_code == 2);
  CHECK(db.has_table("users"));
  // A plain rollback is allowed: it is the guide's emergency procedure. Off a terminal a
  // full one also needs --yes (tested on its own in production_spelling_test.cpp).
  const auto forced = run_migrate(
      migrate_spec(db, {"rollback", "--all", "--force", "--yes"}, SONAMU_BINARY, {{"NODE_ENV", "production"}}));
  CHECK(forced.exit_code == 0);
  CHECK_FALSE(db.has_table("users"));
}

TEST_CASE("mistyped commands and flags get a suggestion") {
  TestDatabase db;
  const auto command = migrate(db, {"rollbak"});
  CHECK(command.exit_code == 2);
  CHECK_THAT(command.err, Catch::Contains("(did you mean 'rollback'?)"));
  const auto flag = migrate(db, {"run", "--verbos"});
  CHECK(flag.exit_code == 2);
  CHECK_THAT(flag.err, Catch::Contains("(did you mean '--verbose'?)"));
  CHECK_FALSE(db.has_table("knex_migrations"));
}

TEST_CASE("a bookkeeping table with missing or unexpected columns is refused, untouched") {
  TestDatabase db;
  db.query(R"(CREATE TABLE "knex_migrations" ("id" serial primary key, "name" varchar(255), "extra" int))");
  const auto result = migrate(db, {"run"});
  CHECK(result.exit_code == 4);
  CHECK(result.err == "Error: The table public.knex_migrations is not a knex bookkeeping table: missing "
                      "column(s) batch, migration_time; unexpected column(s) extra\n");
  CHECK(migrate(db, {"status"}).exit_code == 4);
  CHECK_FALSE(db.has_table("users"));
  CHECK_FALSE(db.has_table("knex_migrations_lock"));
}

TEST_CASE("on a terminal forget and mark ask first; a refusal changes nothing") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  const auto on_terminal = [&](const std::string& command, const std::string& answer) {
    // `script` gives the command a terminal and types the answer into it.
    ProcessSpec spec;
    spec.argv = {"/bin/bash", "-c",
                 "printf '" + answer + "\\n' | timeout 60 script -qec \"$0 migrate $1 -c dbname=$2\" /dev/null",
                 SONAMU_BINARY, command, db.name()};
    spec.cwd = empty_directory();
    spec.env["DATABASE_URL"] = std::nullopt;
    return run_process(spec);
  };
  const auto refused = on_terminal("mark 20251220143100_create__posts", "n");
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.out, Catch::Contains("Record 20251220143100_create__posts as applied without running its up? [y/N]"));
  CHECK_THAT(refused.out, Catch::Contains("Error: Cancelled: nothing was changed"));
  CHECK(recorded(db) == "20251220143022_create__users.cpp:1");

  const auto marked = on_terminal("mark 20251220143100_create__posts", "y");
  CHECK(marked.exit_code == 0);
  CHECK_THAT(marked.out, Catch::Contains("Marked 20251220143100_create__posts.cpp as applied in batch 2; its up "
                                         "function was not run"));
  const auto forgot = on_terminal("forget 20251220143100_create__posts", "yes");
  CHECK(forgot.exit_code == 0);
  CHECK_THAT(forgot.out, Catch::Contains("Delete the record of 20251220143100_create__posts without running its down? [y/N]"));
  CHECK_THAT(forgot.out, Catch::Contains("Forgot 20251220143100_create__posts.cpp (batch 2)"));
  CHECK(recorded(db) == "20251220143022_create__users.cpp:1");
  CHECK_FALSE(db.has_table("posts"));
}
