// Faults for real: concurrent runners, kill -9, a terminated backend, signals, timeouts.
#include "e2e.hpp"
#include "../support/silent_server.hpp"
#include "../support/wait_until.hpp"
#include "pg/store.hpp"

#include <catch2/catch.hpp>

#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include <chrono>
#include <csignal>
#include <future>
#include <memory>
#include <regex>
#include <unistd.h>

using namespace sonamu::test;

namespace {


/// Every slow-fixture migration is recorded exactly when its schema change is present.
void check_slow_fixture_consistent(const TestDatabase& db) {
  const std::string rows = recorded(db);
  const bool a = rows.find("20240201000001_create_slow_a") != std::string::npos;
  const bool b = rows.find("20240201000002_sleepy") != std::string::npos;
  const bool c = rows.find("20240201000003_create_slow_c") != std::string::npos;
  INFO("recorded: " << rows);
  CHECK(db.has_table("slow_a") == a);
  CHECK(db.has_table("sleepy") == b);
  CHECK(db.has_table("slow_c") == c);
  if (db.has_table("knex_migrations_lock")) {
    CHECK(db.scalar("SELECT count(*) || ':' || max(is_locked) FROM knex_migrations_lock") == "1:0");
  }
}

/// Waits until the runner's session is inside the sleepy migration's pg_sleep: the "Running
/// migration" line comes before its statements are sent, and a fault must hit the statement.
void wait_until_sleeping(const TestDatabase& db) {
  wait_until("the runner to be in pg_sleep", [&db] {
    return db.scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
                     "application_name = 'sonamu-migrate' AND state = 'active' AND query LIKE $1",
                     "%pg_sleep%") == "1";
  });
}

/// Another session of an application creating and dropping its own tables in schema `app`
/// (with a key, a default, a check, an index, a comment and a row) and a temporary table,
/// committing each step, in a loop on the server from construction until destruction.
class CatalogChurn {
 public:
  explicit CatalogChurn(const TestDatabase& db) : db_(db), cx_(db.connect()) {
    db.query("CREATE SCHEMA app");
    db.query("CREATE SEQUENCE app.rounds");
    pid_ = std::to_string(cx_->backendpid());
    loop_ = std::async(std::launch::async, [this] {
      try {
        pqxx::nontransaction tx(*cx_);
        // Bounded all the same: longer than any test, cancelled by the destructor before.
        tx.exec("SET statement_timeout = '5min'");
        tx.exec(R"(DO $$ BEGIN LOOP
            CREATE TABLE app.zz (id integer PRIMARY KEY, v text DEFAULT 'x' CHECK (v <> ''));
            CREATE INDEX zz_v ON app.zz (v);
            COMMENT ON TABLE app.zz IS 'churn';
            INSERT INTO app.zz VALUES (1, 'a');
            CREATE TEMPORARY TABLE zz_temp (id integer PRIMARY KEY);
            COMMIT;
            DROP TABLE app.zz;
            DROP TABLE zz_temp;
            PERFORM nextval('app.rounds');
            COMMIT;
          END LOOP; END $$)");
      } catch (const std::exception&) {
        // Cancelled: the end of the churn.
      }
    });
    wait_until("the other session to go round three times", [this] { return rounds() >= 3; });
  }
  ~CatalogChurn() {
    db_.scalar("SELECT pg_cancel_backend($1::int)", pid_);
    loop_.wait();
  }
  CatalogChurn(const CatalogChurn&) = delete;
  CatalogChurn& operator=(const CatalogChurn&) = delete;

  /// Rounds the loop has finished.
  long long rounds() const { return std::stoll(db_.scalar("SELECT last_value FROM app.rounds")); }

 private:
  const TestDatabase& db_;
  std::unique_ptr<pqxx::connection> cx_;
  std::string pid_;
  std::future<void> loop_;
};

/// `text` with every duration ("completed in 3ms") written as "Nms".
std::string without_times(const std::string& text) {
  static const std::regex duration("[0-9]+ms");
  return std::regex_replace(text, duration, "Nms");
}

/// lint, run --verbose, verify --all, rollback --dry-run, down and rollback of the bundled
/// migrations, with a user and a post in the tables from the run on; everything is rolled
/// back at the end, and checked so.
std::vector<MigrateResult> cycle(const TestDatabase& db) {
  std::vector<MigrateResult> results;
  results.push_back(migrate(db, {"lint"}));
  results.push_back(migrate(db, {"run", "--verbose"}));
  db.query("INSERT INTO users (email) VALUES ('a@example.com')");
  db.query("INSERT INTO posts (user_id, title) SELECT id, 'hello' FROM users");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"verify", "--all"}, {"rollback", "--dry-run"}, {"down"}, {"rollback"}}) {
    results.push_back(migrate(db, args));
  }
  CHECK(recorded(db).empty());
  CHECK_FALSE(db.has_table("users"));
  CHECK_FALSE(db.has_table("posts"));
  CHECK(db.scalar("SELECT count(*) || ':' || max(is_locked) FROM knex_migrations_lock") == "1:0");
  return results;
}

const std::map<std::string, std::optional<std::string>> sleep_up = {{"SONAMU_TEST_SLEEP_UP", "30"}};
const std::map<std::string, std::optional<std::string>> sleep_down = {{"SONAMU_TEST_SLEEP_DOWN", "30"}};

}  // namespace

TEST_CASE("16 runners at once on an empty database apply one batch, each migration once") {
  constexpr int trials = 8;
  constexpr int runners = 16;
  for (int trial = 0; trial < trials; ++trial) {
    TestDatabase db;
    std::vector<std::unique_ptr<Process>> processes;
    for (int i = 0; i < runners; ++i) {
      processes.push_back(std::make_unique<Process>(migrate_spec(db, {"run"})));
    }
    int applied_batches = 0;
    int up_to_date = 0;
    for (auto& process : processes) {
      const auto result = process->wait();
      INFO("trial " << trial << " stderr: " << result.err);
      CHECK(result.exit_code == 0);
      if (result.out == "Batch 1 run: 6 migrations\n" + lines("✅ ", bundled(".cpp"))) ++applied_batches;
      if (result.out == "Already up to date\n") ++up_to_date;
    }
    CHECK(applied_batches == 1);
    CHECK(up_to_date == runners - 1);
    CHECK(db.scalar("SELECT count(*) || ':' || count(DISTINCT name) || ':' || max(batch) FROM "
                    "knex_migrations") == "6:6:1");
    CHECK(db.scalar("SELECT count(*) || ':' || max(is_locked) FROM knex_migrations_lock") == "1:0");
  }
}

TEST_CASE("kill -9 in the middle of a run leaves everything as before; the next run needs no unlock") {
  TestDatabase db;
  Process runner(migrate_spec(db, {"run", "--verbose"}, SONAMU_FIXTURE_SLOW, sleep_up));
  REQUIRE(runner.wait_for_output("Running migration: 20240201000002_sleepy.cpp"));
  wait_until_sleeping(db);
  runner.signal(SIGKILL);
  CHECK(runner.wait().exit_code == 128 + SIGKILL);

  CHECK_FALSE(db.has_table("slow_a"));
  CHECK_FALSE(db.has_table("sleepy"));
  CHECK_FALSE(db.has_table("knex_migrations"));

  // The killed session's advisory lock must be gone within seconds (the server notices the
  // dead client during the 30 s sleep), not when the sleep ends: a short --lock-timeout.
  const auto next = migrate(db, {"run", "--lock-timeout", "5"}, SONAMU_FIXTURE_SLOW);
  INFO(next.err);
  CHECK(next.exit_code == 0);
  CHECK_THAT(next.out, Catch::StartsWith("Batch 1 run: 3 migrations\n"));
  check_slow_fixture_consistent(db);
}

TEST_CASE("kill -9 during rollback never separates a record from its schema change") {
  TestDatabase db;
  REQUIRE(migrate(db, {"run"}, SONAMU_FIXTURE_SLOW).exit_code == 0);
  Process rollback(migrate_spec(db, {"rollback", "--verbose"}, SONAMU_FIXTURE_SLOW, sleep_down));
  // By now slow_c's down has run (it comes first, newest first) and sleepy's table is dropped.
  REQUIRE(rollback.wait_for_output("Rolling back migration: 20240201000002_sleepy.cpp"));
  wait_until_sleeping(db);
  rollback.signal(SIGKILL);
  CHECK(rollback.wait().exit_code == 128 + SIGKILL);

  CHECK(recorded(db) ==
        "20240201000001_create_slow_a.cpp:1 20240201000002_sleepy.cpp:1 20240201000003_create_slow_c.cpp:1");
  check_slow_fixture_consistent(db);
  const auto again = migrate(db, {"rollback", "--lock-timeout", "5"}, SONAMU_FIXTURE_SLOW);
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK(recorded(db).empty());
  check_slow_fixture_consistent(db);
}

TEST_CASE("kill -9 during rollback --all keeps finished batches rolled back and the rest intact") {
  TestDatabase db;
  REQUIRE(migrate(db, {"run", "--to", "20240201000001_create_slow_a"}, SONAMU_FIXTURE_SLOW).exit_code == 0);
  REQUIRE(migrate(db, {"run", "--to", "20240201000002_sleepy"}, SONAMU_FIXTURE_SLOW).exit_code == 0);
  REQUIRE(migrate(db, {"run"}, SONAMU_FIXTURE_SLOW).exit_code == 0);
  Process rollback(migrate_spec(db, {"rollback", "--all", "--verbose"}, SONAMU_FIXTURE_SLOW, sleep_down));
  REQUIRE(rollback.wait_for_output("Rolling back migration: 20240201000002_sleepy.cpp"));
  wait_until_sleeping(db);
  rollback.signal(SIGKILL);
  CHECK(rollback.wait().exit_code == 128 + SIGKILL);
  // Batch 3 (slow_c) was committed before the kill; batch 2 (sleepy) was not.
  CHECK(recorded(db) == "20240201000001_create_slow_a.cpp:1 20240201000002_sleepy.cpp:2");
  check_slow_fixture_consistent(db);
  const auto rest = migrate(db, {"rollback", "--all", "--lock-timeout", "5"}, SONAMU_FIXTURE_SLOW);
  INFO(rest.err);
  CHECK(rest.exit_code == 0);
  CHECK(rest.out == "Batch 2 rolled back: 1 migration\n✅ 20240201000002_sleepy.cpp\n\n"
                    "Batch 1 rolled back: 1 migration\n✅ 20240201000001_create_slow_a.cpp\n\n"
                    "All migrations rolled back successfully\n");
  CHECK(recorded(db).empty());
  check_slow_fixture_consistent(db);
}

TEST_CASE("a backend terminated mid-batch: clear error, nothing recorded") {
  TestDatabase db;
  Process runner(migrate_spec(db, {"run", "--verbose"}, SONAMU_FIXTURE_SLOW, sleep_up));
  REQUIRE(runner.wait_for_output("Running migration: 20240201000002_sleepy.cpp"));
  wait_until_sleeping(db);
  const auto terminated = db.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = "
      "'sonamu-migrate' AND datname = current_database()");
  CHECK(terminated.size() == 1);
  const auto result = split_banner(runner.wait());
  CHECK(result.exit_code == 1);  // a migration failed, its batch rolled back (the README's exit codes)
  CHECK_THAT(result.err, Catch::Contains("❌ Error running 20240201000002_sleepy.cpp"));
  CHECK_THAT(result.err, Catch::Contains("   Error: lost the connection to the server (the session was "
                                         "terminated, or the server or network went away); nothing of "
                                         "this transaction was committed\n"));
  CHECK_FALSE(db.has_table("slow_a"));
  CHECK_FALSE(db.has_table("knex_migrations"));
  CHECK(migrate(db, {"run"}, SONAMU_FIXTURE_SLOW).exit_code == 0);
  check_slow_fixture_consistent(db);
}

TEST_CASE("SIGTERM and SIGINT mid-batch roll back, release the lock, exit 143 / 130") {
  for (const int signal_number : {SIGTERM, SIGINT}) {
    TestDatabase db;
    Process runner(migrate_spec(db, {"run", "--verbose"}, SONAMU_FIXTURE_SLOW, sleep_up));
    REQUIRE(runner.wait_for_output("Running migration: 20240201000002_sleepy.cpp"));
    wait_until_sleeping(db);
    runner.signal(signal_number);
    const auto result = split_banner(runner.wait());
    CHECK(result.exit_code == 128 + signal_number);
    // --verbose rehearses the batch for its lint report first: the sleeping statement outlasts
    // the rehearsal's 2 s, so one line says the report was skipped; then the interrupt.
    CHECK_THAT(result.err, Catch::StartsWith("Lint report skipped: rehearsing 20240201000002_sleepy.cpp "
                                             "needed more than 2 s for a lock or a statement; the run goes on\n"));
    CHECK_THAT(result.err, Catch::EndsWith(std::string("Interrupted by ") +
                                           (signal_number == SIGINT ? "SIGINT" : "SIGTERM") +
                                           ": the transaction in progress was rolled back and the lock released\n"));
    CHECK_FALSE(db.has_table("slow_a"));
    CHECK_FALSE(db.has_table("knex_migrations"));
    // The lock was released on the way out: a runner that does not wait at all gets it.
    CHECK(migrate(db, {"run", "--lock-timeout", "0"}, SONAMU_FIXTURE_SLOW).exit_code == 0);
    check_slow_fixture_consistent(db);
  }
}

TEST_CASE("a runner that cannot get the lock in time exits 5 naming the holder") {
  TestDatabase db;
  auto holder = std::make_unique<pqxx::connection>(db.conninfo() + " application_name=holder-app");
  sonamu::pg::Store store(*holder, {});
  {
    pqxx::nontransaction ntx(*holder);
    ntx.exec_params("SELECT pg_advisory_lock($1)", store.advisory_key());
  }
  const auto holder_pid = std::to_string(holder->backendpid());
  const auto result = migrate(db, {"run", "--lock-timeout", "0.3"});
  CHECK(result.exit_code == 5);
  CHECK_THAT(result.err, Catch::StartsWith("Error: Timed out after 0.3s waiting for the migration lock "
                                           "on public.knex_migrations, held by pid " + holder_pid +
                                           ", application 'holder-app', started "));
  CHECK(result.err.find('\n') == result.err.size() - 1);
  CHECK_FALSE(db.has_table("knex_migrations"));

  // status never locks; unlock refuses while a runner holds the lock.
  CHECK(migrate(db, {"status"}).exit_code == 0);
  const auto unlock = migrate(db, {"unlock"});
  CHECK(unlock.exit_code == 5);
  CHECK_THAT(unlock.err, Catch::StartsWith("Error: Refusing to unlock while a migration runner holds the lock"));

  // A waiting runner holds no transaction open: CREATE INDEX CONCURRENTLY, which waits for
  // every open transaction, completes while the runner waits (a statement_timeout turns a
  // deadlock into a failure instead of a hang).
  db.query(R"(CREATE TABLE "cic" ("v" int))");
  Process waiter(migrate_spec(db, {"run", "--lock-timeout", "60", "--debug"}));
  // The runner has tried the lock, found it taken, and polls from now on.
  REQUIRE(waiter.wait_for_error_output("[debug] waiting for migration lock"));
  {
    auto cx = db.connect();
    pqxx::nontransaction ntx(*cx);
    ntx.exec("SET statement_timeout = '20s'");
    CHECK_NOTHROW(ntx.exec(R"(CREATE INDEX CONCURRENTLY "cic_v_index" ON "cic" ("v"))"));
  }
  CHECK(db.scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 'cic_v_index'::regclass") == "t");
  // The index was built while the runner waited: it is still waiting, and has created nothing.
  CHECK(waiter.running());
  CHECK_THAT(waiter.err(), !Catch::Contains("acquired migration lock"));
  CHECK_FALSE(db.has_table("knex_migrations_lock"));
  // A waiting runner proceeds once the holder lets go.
  holder.reset();  // the session ends, and the advisory lock with it
  const auto waited = waiter.wait();
  CHECK(waited.exit_code == 0);
  CHECK_THAT(waited.out, Catch::StartsWith("Batch 1 run: 6 migrations\n"));
  CHECK_THAT(waited.err, Catch::Contains("[debug] acquired migration lock"));
}

TEST_CASE("statement_timeout and lock_timeout end a migration as a failure, nothing applied") {
  TestDatabase db;
  const auto slow = run_migrate(migrate_spec(db, {"run", "--statement-timeout", "200ms"},
                                             SONAMU_FIXTURE_SLOW, {{"SONAMU_TEST_SLEEP_UP", "5"}}));
  CHECK(slow.exit_code == 1);
  CHECK(slow.err == "❌ Error running 20240201000002_sleepy.cpp\n"
                    "   Error: canceling statement due to statement timeout\n");
  CHECK_FALSE(db.has_table("slow_a"));

  REQUIRE(migrate(db, {"run", "--to", "20240201000002_sleepy"}, SONAMU_FIXTURE_SLOW).exit_code == 0);
  auto blocker = db.connect();
  pqxx::work hold(*blocker);
  hold.exec(R"(LOCK TABLE "slow_a" IN ACCESS SHARE MODE)");
  const auto blocked = migrate(db, {"run", "--lock-timeout-sql", "200ms", "--lock-attempts", "1"}, SONAMU_FIXTURE_SLOW);
  CHECK(blocked.exit_code == 5);
  // The holder is named when the look at a quarter of the limit ends before the limit does
  // (tests/e2e/progress_test.cpp requires it; here it depends on the machine's load).
  INFO(blocked.err);
  CHECK(std::regex_match(blocked.err, std::regex(
      "❌ Error running 20240201000003_create_slow_c\\.cpp\n"
      "   Error: canceling statement due to lock timeout\n"
      "(   Waited for lock on \"slow_a\" \\(AccessExclusiveLock\\) held by pid " + std::to_string(blocker->backendpid()) +
      ", idle in transaction for [0-9]+ s\n"
      "   Query of pid [0-9]+: LOCK TABLE \"slow_a\" IN ACCESS SHARE MODE\n)?" + lock_advice)));
  hold.abort();
  CHECK_FALSE(db.has_table("slow_c"));

  const auto bad = migrate(db, {"run", "--statement-timeout", "soon"}, SONAMU_FIXTURE_SLOW);
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "Error: Invalid statement timeout 'soon': expected a duration such as 500ms, "
                   "30s, 5min or 1h\n");
}

TEST_CASE("a wrong password: exit 3, one line, the password never shown") {
  TestDatabase db;
  // The test server's pg_hba.conf makes this one role authenticate by password.
  const TestRole role("sonamu_pw_user", "right-password");
  ProcessSpec spec;
  spec.argv = {SONAMU_BINARY, "migrate", "status", "-c",
               "dbname=" + db.name() + " user=sonamu_pw_user password=hunter2"};
  spec.cwd = empty_directory();
  const auto result = run_migrate(spec);
  CHECK(result.exit_code == 3);
  CHECK(result.err.find('\n') == result.err.size() - 1);
  CHECK_THAT(result.err, Catch::Contains("password authentication failed for user \"sonamu_pw_user\""));
  CHECK(result.err.find("hunter2") == std::string::npos);
}

TEST_CASE("a server that never answers: exit 3 once the connect timeout expires") {
  // A listening socket that is never accepted: the TCP handshake succeeds, PostgreSQL's does not.
  const SilentServer listener;
  const std::string port = std::to_string(listener.port());

  ProcessSpec spec;
  spec.argv = {SONAMU_BINARY, "migrate", "run", "-c",
               "postgresql://app:hunter2@127.0.0.1:" + port + "/shop", "--connect-timeout", "2"};
  spec.cwd = empty_directory();
  const auto result = run_migrate(spec);
  CHECK(result.exit_code == 3);
  CHECK(result.err == "Error: Cannot connect to PostgreSQL at 127.0.0.1:" + port + "/shop: timeout expired\n");
}

TEST_CASE("while a batch runs, knex's lock row is held: a knex process waits for the batch, then proceeds") {
  TestDatabase db;
  REQUIRE(migrate(db, {"run", "--to", "20240201000002_sleepy"}, SONAMU_FIXTURE_SLOW).exit_code == 0);
  // The next migration alters slow_a: a table lock held here keeps the batch open, with no sleep.
  auto blocker = db.connect();
  auto hold = std::make_unique<pqxx::work>(*blocker);
  hold->exec(R"(LOCK TABLE "slow_a" IN ACCESS SHARE MODE)");
  // No lock_timeout: the test ends the wait itself, and no retry may let knex in between.
  Process runner(migrate_spec(db, {"run", "--verbose", "--lock-timeout-sql", "0"}, SONAMU_FIXTURE_SLOW));
  REQUIRE(runner.wait_for_output("Running migration: 20240201000003_create_slow_c.cpp"));
  const auto waiting_for_lock = [&db](const std::string& application) {
    return [&db, application] {
      auto cx = db.connect();
      pqxx::nontransaction ntx(*cx);
      return ntx.exec_params("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND "
                             "application_name = $1 AND wait_event_type = 'Lock'",
                             application).size() == 1;
    };
  };
  wait_until("the runner to wait for the table lock", waiting_for_lock("sonamu-migrate"));

  // Other sessions read the committed 0: the batch's 1 is its own until it commits.
  CHECK(db.scalar(R"(SELECT "is_locked" FROM "knex_migrations_lock")") == "0");
  // knex takes its lock by reading the row FOR UPDATE, then setting is_locked = 1 where it is 0.
  auto knex_like = std::async(std::launch::async, [&db] {
    pqxx::connection cx(db.conninfo() + bounded_session + " application_name=knex-like");
    pqxx::work tx(cx);
    const std::string seen = tx.exec(R"(SELECT "is_locked" FROM "knex_migrations_lock" FOR UPDATE)")[0][0].c_str();
    const auto taken = tx.exec(R"(UPDATE "knex_migrations_lock" SET "is_locked" = 1 WHERE "is_locked" = 0)")
                           .affected_rows();
    tx.exec(R"(UPDATE "knex_migrations_lock" SET "is_locked" = 0)");
    tx.commit();
    return seen + ":" + std::to_string(taken);
  });
  wait_until("the knex-like session to wait for the lock row", waiting_for_lock("knex-like"));
  CHECK(knex_like.wait_for(std::chrono::seconds(0)) == std::future_status::timeout);
  CHECK(runner.running());

  hold.reset();  // the batch goes on and commits; then the knex-like session gets the row
  const auto result = split_banner(runner.wait());
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::EndsWith("Batch 2 run: 1 migration\n"));
  CHECK(knex_like.get() == "0:1");
  CHECK(recorded(db) == "20240201000001_create_slow_a.cpp:1 20240201000002_sleepy.cpp:1 "
                        "20240201000003_create_slow_c.cpp:2");
  CHECK(db.scalar("SELECT count(*) || ':' || max(is_locked) FROM knex_migrations_lock") == "1:0");
}

TEST_CASE("the migration lock is per schema and table: runners of another table do not wait") {
  TestDatabase db;
  auto holder = db.connect();
  sonamu::pg::Store store(*holder, {});
  {
    pqxx::nontransaction ntx(*holder);
    ntx.exec_params("SELECT pg_advisory_lock($1)", store.advisory_key());
  }
  // knex_migrations in public is locked; app_migrations is not, nor knex_migrations elsewhere.
  const auto other_table = migrate(db, {"run", "--table", "app_migrations", "--lock-timeout", "0"});
  CHECK(other_table.exit_code == 0);
  CHECK(other_table.out == "Batch 1 run: 6 migrations\n" + lines("✅ ", bundled(".cpp")));
  db.query(R"(CREATE SCHEMA "ops")");
  const auto other_schema_unlock = migrate(db, {"unlock", "--schema", "ops", "--lock-timeout", "0"});
  CHECK(other_schema_unlock.exit_code == 0);
  CHECK(other_schema_unlock.out == "ops.knex_migrations_lock was not locked: nothing changed\n");
  const auto same = migrate(db, {"rollback", "--table", "knex_migrations", "--lock-timeout", "0"});
  CHECK(same.exit_code == 5);
  CHECK_THAT(same.err, Catch::StartsWith("Error: Timed out after 0s waiting for the migration lock on "
                                         "public.knex_migrations, held by pid " +
                                         std::to_string(holder->backendpid())));
  CHECK(db.scalar("SELECT count(*) FROM app_migrations") == "6");
}

TEST_CASE("an application creating and dropping tables meanwhile changes nothing the commands do or say") {
  TestDatabase db;
  REQUIRE(migrate(db, {"run"}).exit_code == 0);
  REQUIRE(migrate(db, {"rollback"}).exit_code == 0);
  // What each command does and says with no other session at work.
  const auto alone = cycle(db);
  for (const auto& result : alone) CHECK(result.exit_code == 0);
  CHECK_THAT(alone[2].out, Catch::EndsWith("Verify: nothing was changed\n"));
  CHECK_THAT(alone[5].err, Catch::EndsWith("stdin is not a terminal: rolling back without confirmation\n"));

  CatalogChurn churn(db);
  const long long rounds_before = churn.rounds();
  for (int iteration = 0; iteration < 20; ++iteration) {
    INFO("iteration " << iteration);
    const auto results = cycle(db);
    for (std::size_t i = 0; i < results.size(); ++i) {
      INFO("command " << i);
      CHECK(results[i].exit_code == alone[i].exit_code);
      CHECK(without_times(results[i].out) == without_times(alone[i].out));
      CHECK(without_times(results[i].err) == without_times(alone[i].err));
    }
  }
  // The other session did go on while the commands ran.
  CHECK(churn.rounds() > rounds_before);
}
