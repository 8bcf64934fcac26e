// A batch that meets a lock timeout or a deadlock is rolled back and tried again, on the
// engine's fakes: how often, after which pauses, what is recorded, and when it is not safe to
// try again. The same on real PostgreSQL, with a session holding the lock, is in the e2e suite.
#include "../support/fake_engine.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace sonamu;
using namespace sonamu::test;
using Strings = std::vector<std::string>;
using std::chrono::milliseconds;

namespace {

void contended_a(Knex& knex) {
  knex.raw("contended");
  knex.raw("create a");
}
void drop_a(Knex& knex) { knex.raw("drop a"); }
void create_b(Knex& knex) { knex.raw("create b"); }
void drop_b(Knex& knex) { knex.raw("drop b"); }
void create_then_contended(Knex& knex) {
  knex.raw("create c");
  knex.raw("contended");
}
void drop_c(Knex& knex) { knex.raw("drop c"); }
void fails(Knex& knex) { knex.raw("fail"); }

/// The engine on a fake server that allows three attempts and keeps the pauses between them
/// instead of sleeping.
struct Engine : FakeEngine {
  std::vector<milliseconds> pauses;

  Engine() {
    settings.retry.attempts = 3;
    settings.pause = [this](milliseconds delay) { pauses.push_back(delay); };
  }
  Strings events_starting(const std::string& prefix) const {
    Strings found;
    for (const auto& event : reporter.events) {
      if (event.rfind(prefix, 0) == 0) found.push_back(event);
    }
    return found;
  }
};

bool retry_event(const std::string& event, const std::string& expected_prefix) {
  return event.rfind(expected_prefix, 0) == 0;
}

}  // namespace

TEST_CASE("lock retry: the whole batch transaction is rolled back and tried again until it passes") {
  Engine engine;
  engine.registry.add("20250101000000_b.cpp", create_b, drop_b);
  engine.registry.add("20250101000001_a.cpp", contended_a, drop_a);
  engine.server.conflicts_left = 2;
  CHECK(engine.migrator().run() == ExitCode::ok);
  CHECK(engine.recorded() == Strings{"20250101000000_b.cpp:1", "20250101000001_a.cpp:1"});
  CHECK(engine.objects() == Strings{"a", "b"});
  const auto retries = engine.events_starting("retry ");
  REQUIRE(retries.size() == 2);
  CHECK(retry_event(retries[0], "retry 20250101000001_a.cpp 1/3 [55P03] after "));
  CHECK(retry_event(retries[1], "retry 20250101000001_a.cpp 2/3 [55P03] after "));
  // Each attempt runs every migration of the batch again, from the first.
  CHECK(std::count(engine.reporter.events.begin(), engine.reporter.events.end(), "up 20250101000000_b.cpp") == 3);
  CHECK(engine.server.commits == 1);
  CHECK(engine.server.transactions_open == 0);
  // The limits are set again in each attempt: to look at the tables, to read the records after
  // knex's lock row, then before the migrations.
  CHECK(engine.server.limits_applied.size() == 9);
  CHECK_FALSE(engine.server.state.table_locked);
  // Pauses double, each drawn from the upper half of its range.
  REQUIRE(engine.pauses.size() == 2);
  CHECK(engine.pauses[0] >= milliseconds(500));
  CHECK(engine.pauses[0] <= milliseconds(1000));
  CHECK(engine.pauses[1] >= milliseconds(1000));
  CHECK(engine.pauses[1] <= milliseconds(2000));
  // The history holds what committed, once.
  REQUIRE(engine.server.state.history.size() == 2);
  CHECK(engine.server.state.history[1].success);
}

TEST_CASE("lock retry: a deadlock is tried again too") {
  Engine engine;
  engine.registry.add("20250101000001_a.cpp", contended_a, drop_a);
  engine.server.conflicts_left = 1;
  engine.server.deadlocks = true;
  CHECK(engine.migrator().run() == ExitCode::ok);
  const auto retries = engine.events_starting("retry ");
  REQUIRE(retries.size() == 1);
  CHECK(retry_event(retries[0], "retry 20250101000001_a.cpp 1/3 [40P01] after "));
  CHECK(engine.recorded() == Strings{"20250101000001_a.cpp:1"});
}

TEST_CASE("lock retry: when the attempts are used up, exit 5 and nothing is recorded") {
  Engine engine;
  engine.registry.add("20250101000001_a.cpp", contended_a, drop_a);
  engine.server.conflicts_left = 100;
  CHECK(engine.migrator().run() == ExitCode::locked);
  CHECK(engine.events_starting("retry ").size() == 2);
  CHECK(engine.reporter.events.back() ==
        "failed 20250101000001_a.cpp: canceling statement due to lock timeout [55P03]");
  CHECK(engine.server.conflicts_left == 97);
  CHECK(engine.recorded().empty());
  CHECK(engine.objects().empty());
  CHECK(engine.server.transactions_open == 0);
  CHECK_FALSE(engine.server.state.table_locked);
}

TEST_CASE("lock retry: one attempt means no retry; other failures are never tried again") {
  Engine engine;
  engine.settings.retry.attempts = 1;
  engine.registry.add("20250101000001_a.cpp", contended_a, drop_a);
  engine.server.conflicts_left = 1;
  CHECK(engine.migrator().run() == ExitCode::locked);
  CHECK(engine.events_starting("retry ").empty());

  Engine other;
  other.registry.add("20250101000001_f.cpp", fails, drop_a);
  CHECK(other.migrator().run() == ExitCode::migration_failed);
  CHECK(other.events_starting("retry ").empty());
  CHECK(other.pauses.empty());
}

TEST_CASE("lock retry: a dry run is one transaction and is not tried again") {
  Engine engine;
  engine.settings.dry_run = true;
  engine.registry.add("20250101000001_a.cpp", contended_a, drop_a);
  engine.server.conflicts_left = 1;
  CHECK(engine.migrator().run() == ExitCode::locked);
  CHECK(engine.events_starting("retry ").empty());
  CHECK(engine.recorded().empty());
}

TEST_CASE("lock retry: a rollback is tried again the same way") {
  Engine engine;
  engine.registry.add("20250101000001_b.cpp", create_b, [](Knex& knex) {
    knex.raw("contended");
    knex.raw("drop b");
  });
  REQUIRE(engine.migrator().run() == ExitCode::ok);
  engine.server.conflicts_left = 1;
  CHECK(engine.migrator().rollback() == ExitCode::ok);
  CHECK(engine.recorded().empty());
  CHECK(engine.objects().empty());
  CHECK(engine.events_starting("retry ").size() == 1);
}

TEST_CASE("lock retry: records changed by another tool during the pause stop the batch") {
  Engine engine;
  engine.registry.add("20250101000000_b.cpp", create_b, drop_b);
  engine.registry.add("20250101000001_a.cpp", contended_a, drop_a);
  engine.server.conflicts_left = 1;
  engine.settings.pause = [&engine](milliseconds) {
    // Another tool applies the first migration of the batch meanwhile, creating the
    // bookkeeping tables first as knex does (this batch's own creation was rolled back).
    engine.server.state.tables = true;
    AppliedMigration row;
    row.id = 99;
    row.name = "20250101000000_b.cpp";
    row.stem = "20250101000000_b";
    row.batch = 1;
    engine.server.state.rows.push_back(row);
  };
  try {
    (void)engine.migrator().run();
    FAIL("expected the batch to stop");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::migration_failed);
    CHECK_THAT(e.what(), Catch::Contains("records changed while the batch waited"));
  }
  CHECK(engine.objects().empty());
  CHECK(engine.recorded() == Strings{"20250101000000_b.cpp:1"});  // only the other tool's record
  CHECK(engine.server.transactions_open == 0);
}

TEST_CASE("lock retry: a migration without a transaction is tried again only if nothing of it ran") {
  SECTION("its first statement met the conflict: tried again") {
    Engine engine;
    engine.registry.add("20250101000001_a.cpp", contended_a, drop_a, false);
    engine.server.conflicts_left = 1;
    CHECK(engine.migrator().run() == ExitCode::ok);
    CHECK(engine.events_starting("retry ").size() == 1);
    CHECK(engine.recorded() == Strings{"20250101000001_a.cpp:1"});
  }
  SECTION("a statement before it had taken effect: stopped, with what it did said") {
    Engine engine;
    engine.registry.add("20250101000001_c.cpp", create_then_contended, drop_c, false);
    engine.server.conflicts_left = 1;
    CHECK(engine.migrator().run() == ExitCode::locked);
    CHECK(engine.events_starting("retry ").empty());
    CHECK(engine.reporter.events.back() ==
          "failed 20250101000001_c.cpp: canceling statement due to lock timeout; not tried again: it runs "
          "without a transaction and 1 of its statements had taken effect before this one [55P03]");
    CHECK(engine.objects() == Strings{"c"});
    CHECK(engine.recorded().empty());
  }
}

TEST_CASE("lock retry: pauses double up to the maximum") {
  LockRetryPolicy policy;
  policy.first_delay = milliseconds(1000);
  policy.max_delay = milliseconds(30000);
  RetryDelays delays(policy);
  for (int i = 0; i < 50; ++i) {
    const auto third = delays.after(3);
    CHECK(third >= milliseconds(2000));
    CHECK(third <= milliseconds(4000));
    const auto late = delays.after(20);
    CHECK(late >= milliseconds(15000));
    CHECK(late <= milliseconds(30000));
  }
  policy.first_delay = milliseconds(0);
  CHECK(RetryDelays(policy).after(4) == milliseconds(0));
}

#include "output/retry_text.hpp"

TEST_CASE("lock retry: each failed attempt names what it waited for, and the pause") {
  LockWait wait;
  wait.relation = "users";
  wait.locktype = "relation";
  wait.mode = "AccessExclusiveLock";
  LockHolder holder;
  holder.pid = 4711;
  holder.application = "api";
  holder.state = "idle in transaction";
  holder.state_seconds = 12;
  holder.query = "LOCK TABLE users IN ACCESS SHARE MODE";
  wait.holders.push_back(holder);
  LockRetry retry{1, 5, milliseconds(1234), "55P03", "canceling statement due to lock timeout"};
  CHECK(cli::retry_lines("20240301000001_add_nickname.cpp", retry, wait, cli::Style{true, true}) ==
        Strings{"↻ 20240301000001_add_nickname.cpp: attempt 1 of 5 failed: canceling statement due to lock timeout",
                "   Waited for lock on \"users\" (AccessExclusiveLock) held by pid 4711, application \"api\", "
                "idle in transaction for 12 s",
                "   Query of pid 4711: LOCK TABLE users IN ACCESS SHARE MODE",
                "   Rolled back; trying again in 1.2 s"});
  CHECK(cli::retry_lines("x.cpp", retry, std::nullopt, cli::Style{false, false}) ==
        Strings{"- x.cpp: attempt 1 of 5 failed: canceling statement due to lock timeout",
                "   Rolled back; trying again in 1.2 s"});
}

namespace {

void create_a(Knex& knex) { knex.raw("create a"); }
void contended_drop_a(Knex& knex) {
  knex.raw("contended");
  knex.raw("drop a");
}
void failing_drop_a(Knex& knex) {
  knex.raw("fail");
  knex.raw("drop a");
}

/// `a` applied, holding three rows that its down deletes.
void a_with_rows(Engine& engine, MigrationFn down) {
  engine.registry.add("20250101000000_a.cpp", create_a, down);
  REQUIRE(engine.migrator().run() == ExitCode::ok);
  engine.server.state.rows_in = {{"a", 3}};
}

}  // namespace

TEST_CASE("lock retry: the measurement of the data at risk is tried again, then finds the real risk") {
  Engine engine;
  a_with_rows(engine, contended_drop_a);
  engine.server.conflicts_left = 2;
  std::vector<DataAtRisk> asked;
  engine.settings.confirm_data_loss = [&](const std::vector<DataAtRisk>& risks) {
    asked = risks;
    return true;
  };
  CHECK(engine.migrator().rollback() == ExitCode::ok);
  const auto retries = engine.events_starting("retry ");
  REQUIRE(retries.size() == 2);
  CHECK(retry_event(retries[0], "retry 20250101000000_a.cpp 1/3 [55P03] after "));
  CHECK_THAT(retries[1], Catch::EndsWith(" measuring"));
  REQUIRE(asked.size() == 1);
  CHECK(asked[0].kind == LossKind::table);
  CHECK(asked[0].count == 3);
  CHECK(engine.objects().empty());
}

TEST_CASE("lock retry: a measurement the conflicts outlast is unknown risk, asked about, never nothing") {
  Engine engine;
  a_with_rows(engine, contended_drop_a);
  engine.server.conflicts_left = 10;
  std::vector<DataAtRisk> asked;
  engine.settings.confirm_data_loss = [&](const std::vector<DataAtRisk>& risks) {
    asked = risks;
    return false;
  };
  CHECK_THROWS_AS(engine.migrator().rollback(), Error);
  REQUIRE(asked.size() == 1);
  CHECK(asked[0].kind == LossKind::unknown);
  CHECK(asked[0].display == "20250101000000_a.cpp");
  CHECK(asked[0].sqlstate == "55P03");
  CHECK(asked[0].attempts == 3);
  CHECK(engine.events_starting("retry ").size() == 2);
  CHECK(engine.events_starting("risk ") == Strings{"risk unknown 20250101000000_a.cpp [55P03] after 3"});
  CHECK(engine.server.conflicts_left == 7);
  CHECK(engine.objects() == Strings{"a"});
  CHECK(engine.recorded() == Strings{"20250101000000_a.cpp:1"});
  CHECK(engine.server.transactions_open == 0);
}

TEST_CASE("lock retry: a measurement stopped by another failure is unknown at once, not tried again") {
  Engine engine;
  a_with_rows(engine, failing_drop_a);
  bool asked = false;
  engine.settings.confirm_data_loss = [&](const std::vector<DataAtRisk>& risks) {
    asked = risks.size() == 1 && risks[0].kind == LossKind::unknown && risks[0].attempts == 1;
    return true;
  };
  // Confirmed, the real run meets the same failure and changes nothing.
  CHECK(engine.migrator().rollback() == ExitCode::migration_failed);
  CHECK(asked);
  CHECK(engine.events_starting("retry ").empty());
  CHECK(engine.objects() == Strings{"a"});
}
