// Short lock waits with retry, on real PostgreSQL: an application's session holds a lock on
// the table a migration alters; the batch gives up its wait after lock_timeout, is rolled back
// and tried again, each attempt naming the session in the way. Synchronised on pg_locks rows
// and on the lines the binary prints, never on sleeps.
#include "e2e.hpp"

#include "../support/blocker.hpp"
#include "../support/wait_until.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include <fstream>
#include <regex>

using namespace sonamu::test;
using json = nlohmann::json;

namespace {

const std::string migration = "20240301000001_add_nickname.cpp";

/// The migration's session queued for a lock on `table`.
bool migration_waits(const TestDatabase& db, const std::string& table) {
  return db.scalar("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                   "WHERE NOT l.granted AND l.relation = $1::regclass "
                   "AND a.application_name = 'sonamu-migrate'",
                   table) == "1";
}

std::string held_by(int pid) {
  return "held by pid " + std::to_string(pid) + ", application \"api\", idle in transaction for";
}

}  // namespace

TEST_CASE("a batch behind an application's lock is tried again, naming the blocker, until it passes") {
  TestDatabase db;
  db.query(R"(CREATE TABLE "users" ("id" serial primary key))");
  Blocker blocker(db, "LOCK TABLE users IN ACCESS SHARE MODE");
  const int pid = blocker.pid();
  Process run(migrate_spec(db, {"run", "--lock-timeout-sql", "3s", "--lock-attempts", "10", "--lock-retry-delay", "0.2"},
                           SONAMU_FIXTURE_LOCK));
  REQUIRE(run.wait_for_error_output("Rolled back; trying again in"));
  blocker.release();
  const auto result = split_banner(run.wait());
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out == "Batch 1 run: 1 migration\n✅ " + migration + "\n");
  // Every failed attempt is named with the session in the way; the first one at least.
  const std::regex attempt(
      "↻ " + migration + ": attempt 1 of 10 failed: canceling statement due to lock timeout\n"
      "   Waited for lock on \"users\" \\(AccessExclusiveLock\\) " + held_by(pid) + " [0-9]+ s\n"
      "   Query of pid " + std::to_string(pid) + ": LOCK TABLE users IN ACCESS SHARE MODE\n"
      "   Rolled back; trying again in [0-9]+\\.[0-9] s\n(.|\n)*");
  CHECK(std::regex_match(result.err, attempt));
  CHECK(recorded(db) == migration + ":1");
  CHECK(db.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' "
                  "AND column_name = 'nickname'") == "1");
}

TEST_CASE("when the attempts are used up: exit 5, the last blocker in the message and in --json") {
  TestDatabase db;
  db.query(R"(CREATE TABLE "users" ("id" serial primary key))");
  Blocker blocker(db, "LOCK TABLE users IN ACCESS SHARE MODE");
  const int pid = blocker.pid();

  // The limits of the environment, from the configuration file.
  ScratchDirectory project("sonamu-lock-retry");
  std::ofstream(project.path() / "sonamu.config.json")
      << R"({"environments": {"development": {"lockTimeoutSql": "3s", "lockAttempts": 2, "lockRetryDelay": 0}}})";
  const auto text = migrate(db, {"run"}, SONAMU_FIXTURE_LOCK, project.string());
  INFO(text.err);
  CHECK(text.exit_code == 5);
  CHECK(text.out.empty());
  const std::string waited = "   Waited for lock on \"users\" \\(AccessExclusiveLock\\) " + held_by(pid) + " [0-9]+ s\n"
                             "   Query of pid " + std::to_string(pid) + ": LOCK TABLE users IN ACCESS SHARE MODE\n";
  const std::regex expected("↻ " + migration + ": attempt 1 of 2 failed: canceling statement due to lock timeout\n" +
                            waited + "   Rolled back; trying again in 0\\.0 s\n"
                            "❌ Error running " + migration + "\n"
                            "   Error: canceling statement due to lock timeout\n" + waited +
                            "   Its transaction was rolled back: nothing it did was kept\\. To go on, end the "
                            "transaction of pid " + std::to_string(pid) + ", or give the lock more time with "
                            "--lock-timeout-sql, and run the command again\n");
  CHECK(std::regex_match(text.err, expected));

  const auto document = migrate(db, {"run", "--json", "--lock-timeout-sql", "3s", "--lock-attempts", "2",
                                     "--lock-retry-delay", "0"},
                                SONAMU_FIXTURE_LOCK);
  CHECK(document.exit_code == 5);
  const auto parsed = json::parse(document.out);
  INFO(document.out);
  CHECK(parsed["exit_code"] == 5);
  const auto& retries = parsed["lock_retries"];
  REQUIRE(retries.size() == 1);
  CHECK(retries[0]["migration"] == migration);
  CHECK(retries[0]["attempt"] == 1);
  CHECK(retries[0]["attempts"] == 2);
  CHECK(retries[0]["sqlstate"] == "55P03");
  CHECK(retries[0]["delay_ms"] == 0);
  REQUIRE(retries[0]["blocked_by"].size() == 1);
  CHECK(retries[0]["blocked_by"][0]["pid"] == pid);
  CHECK(retries[0]["waited_for"] == json({{"relation", "users"}, {"mode", "AccessExclusiveLock"}}));
  const auto& error = parsed["error"];
  CHECK(error["sqlstate"] == "55P03");
  REQUIRE(error["blocked_by"].size() == 1);
  CHECK(error["blocked_by"][0]["pid"] == pid);
  CHECK(error["blocked_by"][0]["application"] == "api");
  CHECK(error["blocked_by"][0]["state"] == "idle in transaction");
  // Every attempt was rolled back; the bookkeeping tables exist only to hold the failure's history.
  CHECK(recorded(db) == "");
  blocker.release();
}

TEST_CASE("a deadlock with an application's transaction is tried again") {
  TestDatabase db;
  db.query(R"(CREATE TABLE "users" ("id" serial primary key); CREATE TABLE "accounts" ("id" serial primary key))");
  // The application would detect the deadlock only after a minute: the migration, waiting
  // first, is the one PostgreSQL cancels.
  Blocker blocker(db, "LOCK TABLE users IN ACCESS SHARE MODE", "SET deadlock_timeout = '60s'");
  Process run(migrate_spec(db, {"run", "--lock-timeout-sql", "30s", "--lock-retry-delay", "0"}, SONAMU_FIXTURE_DEADLOCK));
  wait_until("the migration to hold accounts and queue for users", [&] { return migration_waits(db, "users"); });
  // The application now reads accounts, which the migration holds: a cycle.
  blocker.tx().exec(R"(SELECT count(*) FROM "accounts")");
  blocker.release();
  const auto result = split_banner(run.wait());
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Catch::StartsWith("↻ 20240301000001_lock_both.cpp: attempt 1 of 5 failed: deadlock detected"));
  CHECK(recorded(db) == "20240301000001_lock_both.cpp:1");
}

TEST_CASE("a concurrent index that fails on a lock timeout leaves an invalid index: named, not retried") {
  TestDatabase db;
  REQUIRE(migrate(db, {"run", "--to", "20240301000001_create_items"}, SONAMU_FIXTURE_NONTX).exit_code == 0);
  // A write in an open transaction: CREATE INDEX CONCURRENTLY builds the index, then waits
  // for this transaction to end, and gives up after lock_timeout.
  Blocker blocker(db, R"(INSERT INTO "items" ("name") VALUES ('x'))");
  const auto result = migrate(db, {"run", "--lock-timeout-sql", "3s"}, SONAMU_FIXTURE_NONTX);
  INFO(result.err);
  CHECK(result.exit_code == 5);
  CHECK_THAT(result.err,
             Catch::Contains("   Error: canceling statement due to lock timeout; it left the invalid index "
                             "public.items_name_index (CREATE INDEX CONCURRENTLY stopped half-way) and was not "
                             "tried again: drop it with DROP INDEX CONCURRENTLY public.items_name_index, then run "
                             "the command again\n"));
  CHECK_THAT(result.err, Catch::Contains(held_by(blocker.pid())));
  CHECK(result.err.find("↻") == std::string::npos);
  CHECK(db.scalar("SELECT count(*) FROM pg_index WHERE NOT indisvalid AND indexrelid = "
                  "'public.items_name_index'::regclass") == "1");
  CHECK(recorded(db) == "20240301000001_create_items.cpp:1");
  blocker.release();
  // As the message says: drop it, run again.
  pqxx::nontransaction(*db.connect()).exec("DROP INDEX CONCURRENTLY public.items_name_index");
  const auto again = migrate(db, {"run"}, SONAMU_FIXTURE_NONTX);
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK(db.scalar("SELECT count(*) FROM pg_index WHERE indisvalid AND indexrelid = "
                  "'public.items_name_index'::regclass") == "1");
}

namespace {

/// When the migration's session waits for a lock on `table`: the start of its transaction
/// (each attempt is a new one), or empty while it waits for none.
std::string waiting_attempt(const TestDatabase& db, const std::string& table) {
  return db.scalar("SELECT coalesce(max(a.xact_start)::text, '') FROM pg_locks l JOIN pg_stat_activity a "
                   "ON a.pid = l.pid WHERE NOT l.granted AND l.relation = $1::regclass "
                   "AND a.application_name = 'sonamu-migrate'",
                   table);
}

/// A batch in two parts (create_items is applied first, alone): the concurrent index alone,
/// then add_price and maybe_fail in one transaction, whose ALTER TABLE meets an application's
/// lock on items once, is rolled back and tried again. The blocker is released once the
/// second attempt waits.
MigrateResult batch_with_a_retried_later_part(const TestDatabase& db, const std::string& output) {
  REQUIRE(migrate(db, {"run", "--to", "20240301000001_create_items"}, SONAMU_FIXTURE_NONTX).exit_code == 0);
  // ACCESS SHARE: the concurrent index goes past it; the ALTER TABLE of the last part cannot.
  Blocker blocker(db, R"(LOCK TABLE "items" IN ACCESS SHARE MODE)");
  std::vector<std::string> args = {"run", "--lock-timeout-sql", "1s", "--lock-attempts", "10",
                                   "--lock-retry-delay", "0"};
  if (!output.empty()) args.push_back(output);
  Process run(migrate_spec(db, args, SONAMU_FIXTURE_NONTX));
  std::string first;
  wait_until("the last part to wait for the application's lock", [&] {
    first = waiting_attempt(db, "items");
    return !first.empty();
  });
  wait_until("a second attempt of the last part to wait", [&] {
    const auto now = waiting_attempt(db, "items");
    return !now.empty() && now != first;
  });
  blocker.release();
  return split_banner(run.wait());
}

}  // namespace

TEST_CASE("a batch in parts whose later part is retried: --json lists every migration, as the text does") {
  const std::vector<std::string> batch = {"20240301000002_index_items.cpp", "20240301000003_add_price.cpp",
                                          "20240301000004_maybe_fail.cpp"};
  TestDatabase text_db;
  const auto text = batch_with_a_retried_later_part(text_db, "");
  INFO(text.err);
  CHECK(text.exit_code == 0);
  CHECK(text.out == "Batch 2 runs in 2 parts: [20240301000002_index_items.cpp] without a transaction; "
                    "[20240301000003_add_price.cpp, 20240301000004_maybe_fail.cpp] in one transaction\n"
                    "Batch 2 run: 3 migrations\n" + lines("✅ ", batch));

  TestDatabase db;
  const auto document = batch_with_a_retried_later_part(db, "--json");
  INFO(document.out << document.err);
  CHECK(document.exit_code == 0);
  const auto parsed = json::parse(document.out);
  REQUIRE(parsed["batches"].size() == 1);
  const auto& only = parsed["batches"][0];
  CHECK(only["batch"] == 2);
  CHECK(only["committed"] == true);
  std::vector<std::string> listed;
  for (const auto& migration : only["migrations"]) {
    listed.push_back(migration["name"].get<std::string>());
    CHECK(migration["status"] == "applied");
  }
  CHECK(listed == batch);
  CHECK(parsed["lock_retries"].size() >= 1);
  CHECK(parsed["lock_retries"][0]["migration"] == "20240301000003_add_price.cpp");
  for (const auto* database : {&text_db, &db}) {
    CHECK(recorded(*database) == "20240301000001_create_items.cpp:1 20240301000002_index_items.cpp:2 "
                                 "20240301000003_add_price.cpp:2 20240301000004_maybe_fail.cpp:2");
    CHECK(database->scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' "
                           "AND column_name = 'price'") == "1");
  }
}
