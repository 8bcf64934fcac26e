// The engine's hardest paths on in-memory fakes of its database interfaces: parts of a
// batch, dry runs, partial failures, interrupts, rollback --all stopping midway, and the
// history it writes. The same paths on real PostgreSQL are in the db and e2e suites.
#include "../support/fake_engine.hpp"

#include <catch2/catch.hpp>

using namespace sonamu;
using namespace sonamu::test;
using Strings = std::vector<std::string>;

namespace {

void create_a(Knex& knex) { knex.raw("create a"); }
void drop_a(Knex& knex) { knex.raw("drop a"); }
void create_b(Knex& knex) { knex.raw("create b"); }
void drop_b(Knex& knex) { knex.raw("drop b"); }
void create_c(Knex& knex) { knex.raw("create c"); }
void drop_c(Knex& knex) { knex.raw("drop c"); }
void fails(Knex& knex) { knex.raw("fail"); }
void interrupted(Knex& knex) { knex.raw("interrupt"); }
void refuses(Knex&) { irreversible("the data is gone"); }

/// The engine on a fake server, with the registry and settings a test gives it.
using Engine = FakeEngine;

struct InterruptReset {
  ~InterruptReset() { clear_interrupt(); }
};

}  // namespace

TEST_CASE("engine: a batch is one transaction, recorded with its history, under the lock") {
  Engine engine;
  engine.registry.add("20250101000000_a.cpp", create_a, drop_a);
  engine.registry.add("20250101000001_b.cpp", create_b, drop_b);
  engine.settings.limits.lock_timeout = "5s";
  CHECK(engine.migrator().run() == ExitCode::ok);
  CHECK(engine.recorded() == Strings{"20250101000000_a.cpp:1", "20250101000001_b.cpp:1"});
  CHECK(engine.objects() == Strings{"a", "b"});
  CHECK(engine.history() == Strings{"run 20250101000000_a.cpp ok", "run 20250101000001_b.cpp ok"});
  CHECK(engine.reporter.events.back() == "ran batch 1 x2");
  CHECK_FALSE(engine.server.lock_held);          // released at the end
  CHECK_FALSE(engine.server.state.table_locked);  // knex's flag set and cleared inside the batch
  // Set before the tables are looked at, again after knex's lock row (whose wait sets limits of
  // its own) before the records are read, and again before the migrations, in that one transaction.
  REQUIRE(engine.server.limits_applied.size() == 3);
  for (const auto& limits : engine.server.limits_applied) {
    CHECK(limits.lock_timeout == std::optional<std::string>("5s"));
  }
  CHECK(engine.server.commits == 1);
}

TEST_CASE("engine: tables another runner created and filled after they were inspected are read, not taken for new") {
  Engine engine;
  engine.registry.add("20250101000000_a.cpp", create_a, drop_a);
  engine.registry.add("20250101000001_b.cpp", create_b, drop_b);
  // knex wins the creation of a new database's tables and commits its batch before this
  // runner's creation gives way to it: the records are there, and nothing is left to run.
  engine.store.before_creation = [](FakeState& state) {
    if (state.tables) return;
    state.tables = true;
    for (const std::string stem : {"20250101000000_a", "20250101000001_b"}) {
      AppliedMigration row;
      row.id = state.next_id++;
      row.stem = stem;
      row.name = stem + ".cpp";
      row.batch = 1;
      state.rows.push_back(row);
    }
  };
  CHECK(engine.migrator().run() == ExitCode::ok);
  CHECK(engine.recorded() == Strings{"20250101000000_a.cpp:1", "20250101000001_b.cpp:1"});
  CHECK(engine.objects().empty());  // neither up ran again
  CHECK(engine.reporter.events.back() == "nothing");
}

TEST_CASE("engine: a non-transactional migration splits the batch into parts") {
  Engine engine;
  engine.registry.add("20250101000000_a.cpp", create_a, drop_a);
  engine.registry.add("20250101000001_b.cpp", create_b, drop_b, false);
  engine.registry.add("20250101000002_c.cpp", create_c, drop_c);
  CHECK(engine.migrator().run() == ExitCode::ok);
  CHECK(engine.reporter.events.front() == "parts 3");
  CHECK(engine.recorded() ==
        Strings{"20250101000000_a.cpp:1", "20250101000001_b.cpp:1", "20250101000002_c.cpp:1"});
  CHECK(engine.history().size() == 3);
}

TEST_CASE("engine: a failure after a committed part reports exactly what is recorded") {
  Engine engine;
  engine.registry.add("20250101000000_a.cpp", create_a, drop_a);
  engine.registry.add("20250101000001_b.cpp", create_b, drop_b, false);
  engine.registry.add("20250101000002_c.cpp", create_c, drop_c);
  engine.registry.add("20250101000003_fails.cpp", fails, drop_c);
  CHECK(engine.migrator().run() == ExitCode::migration_failed);
  // a and b are committed; c shares the failing part's transaction and is gone with it.
  CHECK(engine.recorded() == Strings{"20250101000000_a.cpp:1", "20250101000001_b.cpp:1"});
  CHECK(engine.objects() == Strings{"a", "b"});
  const Strings tail(engine.reporter.events.end() - 2, engine.reporter.events.end());
  CHECK(tail == Strings{"failed 20250101000003_fails.cpp: division by zero [22012]", "partly 2/2"});
  CHECK(engine.history() == Strings{"run 20250101000000_a.cpp ok", "run 20250101000001_b.cpp ok",
                                    "run 20250101000003_fails.cpp failed: division by zero"});
}

TEST_CASE("engine: a dry run changes nothing and skips what it cannot rehearse") {
  Engine engine;
  engine.registry.add("20250101000000_a.cpp", create_a, drop_a);
  engine.registry.add("20250101000001_b.cpp", create_b, drop_b, false);
  engine.settings.dry_run = true;
  CHECK(engine.migrator().run() == ExitCode::ok);
  CHECK(engine.recorded().empty());
  CHECK(engine.objects().empty());
  CHECK(engine.history().empty());
  CHECK_FALSE(engine.server.state.tables);  // not even the bookkeeping tables are kept
  CHECK(engine.server.commits == 0);
  CHECK(std::count(engine.reporter.events.begin(), engine.reporter.events.end(),
                   "skipped 20250101000001_b.cpp") == 1);
  // The rehearsal ran a's SQL for real, in the transaction that was rolled back.
  CHECK(std::count(engine.reporter.events.begin(), engine.reporter.events.end(), "sql create a (0)") == 1);
}

TEST_CASE("engine: a failed dry run records no failure") {
  Engine engine;
  engine.registry.add("20250101000000_fails.cpp", fails, drop_a);
  engine.settings.dry_run = true;
  CHECK(engine.migrator().run() == ExitCode::migration_failed);
  CHECK(engine.history().empty());
  CHECK(engine.server.commits == 0);
}

TEST_CASE("engine: an interrupt rolls the batch back and is no failure") {
  InterruptReset reset;
  Engine engine;
  engine.registry.add("20250101000000_a.cpp", create_a, drop_a);
  engine.registry.add("20250101000001_interrupted.cpp", interrupted, drop_b);
  auto migrator = engine.migrator();
  CHECK_THROWS_AS(migrator.run(), Interrupted);
  CHECK(engine.recorded().empty());
  CHECK(engine.objects().empty());
  CHECK(engine.history().empty());  // nothing failed: the user stopped it
  CHECK_FALSE(engine.server.lock_held);
}

TEST_CASE("engine: an interrupt after a committed part reports what stays committed") {
  InterruptReset reset;
  Engine engine;
  engine.registry.add("20250101000000_a.cpp", create_a, drop_a, false);
  engine.registry.add("20250101000001_interrupted.cpp", interrupted, drop_b);
  auto migrator = engine.migrator();
  CHECK_THROWS_AS(migrator.run(), Interrupted);
  CHECK(engine.recorded() == Strings{"20250101000000_a.cpp:1"});
  CHECK(engine.reporter.events.back() == "partly 1/1");
}

TEST_CASE("engine: rollback --all stops at a failing batch and keeps the earlier ones reverted") {
  Engine engine;
  engine.registry.add("20250101000000_a.cpp", create_a, drop_a);
  engine.registry.add("20250101000001_b.cpp", create_b, fails);
  engine.registry.add("20250101000002_c.cpp", create_c, drop_c);
  auto migrator = engine.migrator();
  CHECK(migrator.up() == ExitCode::ok);
  CHECK(migrator.up() == ExitCode::ok);
  CHECK(migrator.up() == ExitCode::ok);
  engine.reporter.events.clear();
  CHECK(migrator.rollback_all() == ExitCode::migration_failed);
  CHECK(engine.recorded() == Strings{"20250101000000_a.cpp:1", "20250101000001_b.cpp:2"});
  CHECK(engine.objects() == Strings{"a", "b"});
  CHECK(engine.reporter.events.back() == "stopped at 2");
  CHECK(std::count(engine.reporter.events.begin(), engine.reporter.events.end(), "reverted batch 3 x1") == 1);
  CHECK(engine.history().back() == "rollback 20250101000001_b.cpp failed: division by zero");
}

TEST_CASE("engine: an irreversible down stops the rollback before any statement, unless forced") {
  Engine engine;
  engine.registry.add("20250101000000_a.cpp", create_a, refuses);
  CHECK(engine.migrator().run() == ExitCode::ok);
  engine.reporter.events.clear();
  CHECK(engine.migrator().rollback() == ExitCode::migration_failed);
  CHECK(engine.reporter.events ==
        Strings{"failed 20250101000000_a.cpp: irreversible: the data is gone (--force deletes its record "
                "without running down) []"});
  CHECK(engine.recorded() == Strings{"20250101000000_a.cpp:1"});

  engine.settings.force = true;
  engine.reporter.events.clear();
  CHECK(engine.migrator().rollback() == ExitCode::ok);
  CHECK(engine.recorded().empty());
  CHECK(engine.objects() == Strings{"a"});  // the schema stays; only the record went
  // Forced, the down is said to be skipped, and the history keeps that it was forced.
  CHECK(std::find(engine.reporter.events.begin(), engine.reporter.events.end(), "skipped 20250101000000_a.cpp") !=
        engine.reporter.events.end());
  CHECK(engine.history().back() == "forced rollback 20250101000000_a.cpp ok");
}

TEST_CASE("engine: data at risk is asked about once, before anything runs; a no cancels") {
  Engine engine;
  engine.registry.add("20250101000000_a.cpp", create_a, drop_a);
  engine.registry.add("20250101000001_b.cpp", create_b, drop_b);
  auto migrator = engine.migrator();
  CHECK(migrator.up() == ExitCode::ok);
  CHECK(migrator.up() == ExitCode::ok);
  engine.server.state.rows_in = {{"a", 3}, {"b", 5}};
  int asked = 0;
  engine.settings.confirm_data_loss = [&](const std::vector<DataAtRisk>& risks) {
    ++asked;
    CHECK(risks.size() == 2);
    return false;
  };
  CHECK_THROWS_AS(engine.migrator().rollback_all(), Error);
  CHECK(asked == 1);
  CHECK(engine.recorded().size() == 2);

  engine.settings.confirm_data_loss = [&](const std::vector<DataAtRisk>&) { return ++asked > 0; };
  CHECK(engine.migrator().rollback_all() == ExitCode::ok);
  CHECK(asked == 2);  // once for both batches
  CHECK(engine.recorded().empty());
  CHECK(engine.reporter.events.back() == "all");
}

TEST_CASE("engine: the downs run in a transaction that is rolled back; the question comes after it ended") {
  Engine engine;
  engine.registry.add("20250101000000_a.cpp", create_a, drop_a);
  engine.registry.add("20250101000001_b.cpp", create_b, drop_b);
  REQUIRE(engine.migrator().run() == ExitCode::ok);
  // Only what the downs really drop counts: c holds data but nothing drops it.
  engine.server.state.rows_in = {{"b", 5}, {"c", 7}};
  Strings order;
  engine.settings.confirm_data_loss = [&](const std::vector<DataAtRisk>& risks) {
    CHECK(engine.server.transactions_open == 0);  // no lock on any table while asking
    REQUIRE(risks.size() == 1);
    CHECK(risks.front().display == "b");
    CHECK(risks.front().count == 5);
    order.push_back("asked");
    return false;
  };
  engine.settings.before_revert = [&] { order.push_back("backup"); };
  CHECK_THROWS_AS(engine.migrator().rollback(), Error);
  CHECK(order == Strings{"asked"});  // a refused rollback takes no backup
  CHECK(engine.objects() == Strings{"a", "b"});
  CHECK(engine.recorded().size() == 2);

  engine.settings.confirm_data_loss = [&](const std::vector<DataAtRisk>&) {
    order.push_back("asked");
    return true;
  };
  CHECK(engine.migrator().rollback() == ExitCode::ok);
  CHECK(order == Strings{"asked", "asked", "backup"});
  CHECK(engine.objects().empty());

  // Nothing at risk: no question, the backup still comes first.
  order.clear();
  REQUIRE(engine.migrator().run() == ExitCode::ok);
  engine.server.state.rows_in.clear();
  const int begun = engine.server.transactions_begun;
  CHECK(engine.migrator().down() == ExitCode::ok);
  CHECK(order == Strings{"backup"});
  // No table held data: the downs were not run a second time to measure (one transaction to
  // plan, one to look at the tables, one to run).
  CHECK(engine.server.transactions_begun - begun == 3);
  CHECK(engine.server.counts_taken == 2);
}

TEST_CASE("engine: a dry run reports the data at risk and asks nothing") {
  Engine engine;
  engine.registry.add("20250101000000_a.cpp", create_a, drop_a);
  REQUIRE(engine.migrator().run() == ExitCode::ok);
  engine.server.state.rows_in = {{"a", 2}};
  engine.settings.dry_run = true;
  bool asked = false;
  engine.settings.confirm_data_loss = [&](const std::vector<DataAtRisk>&) { return asked = true; };
  engine.settings.before_revert = [&] { FAIL("no backup for a dry run"); };
  CHECK(engine.migrator().rollback() == ExitCode::ok);
  CHECK_FALSE(asked);
  CHECK(std::count(engine.reporter.events.begin(), engine.reporter.events.end(), "risk a 2") == 1);
  CHECK(engine.objects() == Strings{"a"});
}

TEST_CASE("engine: a rollback confirmed before it started reverts exactly those records, else nothing (exit 5)") {
  Engine engine;
  engine.registry.add("20250101000000_a.cpp", create_a, drop_a);
  engine.registry.add("20250101000001_b.cpp", create_b, drop_b);
  REQUIRE(engine.migrator().run() == ExitCode::ok);
  // A rehearsal (as a fleet's before its one question) tells which records it would revert.
  std::vector<RecordToRevert> shown;
  engine.settings.dry_run = true;
  engine.settings.records_to_revert = [&](const std::vector<RecordToRevert>& records) { shown = records; };
  REQUIRE(engine.migrator().rollback_all() == ExitCode::ok);
  REQUIRE(shown.size() == 2);
  CHECK(shown[0].name == "20250101000001_b.cpp");
  CHECK(shown[1].name == "20250101000000_a.cpp");
  engine.settings.dry_run = false;
  engine.settings.records_to_revert = nullptr;

  // Meanwhile another runner reverts b and applies it again: same name, a new record.
  REQUIRE(engine.migrator().down() == ExitCode::ok);
  REQUIRE(engine.migrator().up() == ExitCode::ok);
  engine.settings.confirmed_records = shown;
  try {
    engine.migrator().rollback_all();
    FAIL("expected the rollback to be refused");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::locked);
    CHECK_THAT(e.what(), Catch::StartsWith("The migrations to roll back changed while the confirmation was asked"));
  }
  CHECK(engine.objects() == Strings{"a", "b"});
  CHECK(engine.recorded().size() == 2);

  // Confirmed for the records as they are now: the rollback runs.
  engine.settings.dry_run = true;
  engine.settings.confirmed_records.reset();
  engine.settings.records_to_revert = [&](const std::vector<RecordToRevert>& records) { shown = records; };
  REQUIRE(engine.migrator().rollback_all() == ExitCode::ok);
  engine.settings.dry_run = false;
  engine.settings.confirmed_records = shown;
  CHECK(engine.migrator().rollback_all() == ExitCode::ok);
  CHECK(engine.objects().empty());
  CHECK(engine.recorded().empty());
}

TEST_CASE("engine: verify rolls everything back and names what down leaves behind") {
  Engine engine;
  engine.registry.add("20250101000000_a.cpp", create_a, drop_a);
  engine.registry.add("20250101000001_b.cpp", create_b, drop_a);  // its down drops the wrong thing
  CHECK(engine.migrator().verify({}) == ExitCode::migration_failed);
  CHECK(std::count(engine.reporter.events.begin(), engine.reporter.events.end(), "verified 20250101000000_a.cpp 0/0") == 1);
  CHECK(std::count(engine.reporter.events.begin(), engine.reporter.events.end(), "verified 20250101000001_b.cpp 1/1") == 1);
  CHECK(engine.objects().empty());
  CHECK(engine.recorded().empty());
  CHECK(engine.server.commits == 0);
}

TEST_CASE("engine: a held lock stops a command before it reads anything") {
  Engine engine;
  engine.registry.add("20250101000000_a.cpp", create_a, drop_a);
  engine.server.lock_held_elsewhere = true;
  try {
    engine.migrator().run();
    FAIL("expected the lock to be refused");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::locked);
  }
  CHECK(engine.server.transactions_begun == 0);
}

TEST_CASE("engine: forget and mark write one history line each") {
  Engine engine;
  engine.registry.add("20250101000000_a.cpp", create_a, drop_a);
  auto migrator = engine.migrator();
  CHECK(migrator.mark("20250101000000_a").batch == 1);
  CHECK(engine.recorded() == Strings{"20250101000000_a.cpp:1"});
  CHECK(engine.objects().empty());  // up was not run
  CHECK(migrator.forget("20250101000000_a.cpp").name == "20250101000000_a.cpp");
  CHECK(engine.recorded().empty());
  CHECK(engine.history() == Strings{"mark 20250101000000_a.cpp ok", "forget 20250101000000_a.cpp ok"});
}

TEST_CASE("engine: the source each migration was applied with is recorded; status marks an edited one") {
  Engine engine;
  engine.registry.add("20250101000000_a.cpp", create_a, drop_a, true, "hash-a");
  engine.registry.add("20250101000001_b.cpp", create_b, drop_b, true, "hash-b");
  engine.registry.add("20250101000002_c.cpp", create_c, drop_c, true, "");  // built without a hash
  CHECK(engine.migrator().run() == ExitCode::ok);
  CHECK(engine.server.state.source_hashes ==
        std::map<std::string, std::string>{{"20250101000000_a.cpp", "hash-a"}, {"20250101000001_b.cpp", "hash-b"}});
  CHECK(engine.migrator().status().edited.empty());

  // As if b.cpp had been edited and rebuilt after it was applied.
  engine.server.state.source_hashes["20250101000001_b.cpp"] = "hash-b-before";
  CHECK(engine.migrator().status().edited == Strings{"20250101000001_b.cpp"});
  CHECK(engine.migrator().accept("20250101000001_b").name == "20250101000001_b.cpp");
  CHECK(engine.migrator().status().edited.empty());
  CHECK(engine.history().back() == "accept 20250101000001_b.cpp ok");
  CHECK_THROWS_WITH(engine.migrator().accept("20250101000002_c"),
                    "Migration '20250101000002_c.cpp' was compiled without a source hash: nothing to accept");
  CHECK_THROWS_WITH(engine.migrator().accept("20990101000000_x"),
                    "Unknown migration '20990101000000_x': it is not compiled into this binary");

  // A rolled-back migration's hash goes with its record.
  CHECK(engine.migrator().down() == ExitCode::ok);
  CHECK(engine.server.state.source_hashes.count("20250101000001_b.cpp") == 1);
  CHECK(engine.server.state.source_hashes.count("20250101000002_c.cpp") == 0);
  CHECK(engine.migrator().rollback() == ExitCode::ok);
  CHECK(engine.server.state.source_hashes.empty());
  CHECK_THROWS_WITH(engine.migrator().accept("20250101000000_a"),
                    "Migration '20250101000000_a' is not recorded as applied");
}

TEST_CASE("engine: a failed first run is in the history, its bookkeeping tables created again") {
  Engine engine;
  engine.registry.add("20250101000000_a.cpp", create_a, drop_a);
  engine.registry.add("20250101000001_b.cpp", fails, drop_b);
  CHECK(engine.migrator().run() == ExitCode::migration_failed);
  CHECK(engine.recorded().empty());
  CHECK(engine.objects().empty());
  CHECK(engine.history() == Strings{"run 20250101000001_b.cpp failed: division by zero"});
}

TEST_CASE("engine: a measured dry run is the lint report's rehearsal: each statement is sent once") {
  Engine engine;
  engine.registry.add("20250101000000_a.cpp", create_a, drop_a);
  engine.registry.add("20250101000001_b.cpp", create_b, drop_b, false);
  engine.registry.add("20250101000002_c.cpp", create_c, drop_c);
  engine.settings.dry_run = true;
  engine.settings.measure_dry_run = true;
  auto migrator = engine.migrator();
  CHECK(migrator.run() == ExitCode::ok);
  CHECK(std::count(engine.reporter.events.begin(), engine.reporter.events.end(), "sql create a (0)") == 1);
  CHECK(std::count(engine.reporter.events.begin(), engine.reporter.events.end(), "sql create c (0)") == 1);
  CHECK(engine.server.commits == 0);
  const auto& measured = migrator.dry_run_measured();
  REQUIRE(measured);
  CHECK_FALSE(measured->rollback);
  REQUIRE(measured->migrations.size() == 3);
  CHECK(measured->migrations[0].name == "20250101000000_a.cpp");
  REQUIRE(measured->migrations[0].statements.size() == 1);
  CHECK(measured->migrations[0].statements[0].sql == "create a");
  CHECK(measured->migrations[1].skipped);
  CHECK(measured->migrations[2].statements.size() == 1);
}

TEST_CASE("engine: a measured dry run that fails ends its report with the failure") {
  Engine engine;
  engine.registry.add("20250101000000_a.cpp", create_a, drop_a);
  engine.registry.add("20250101000001_fails.cpp", fails, drop_b);
  engine.settings.dry_run = true;
  engine.settings.measure_dry_run = true;
  auto migrator = engine.migrator();
  CHECK(migrator.run() == ExitCode::migration_failed);
  const auto& measured = migrator.dry_run_measured();
  REQUIRE(measured);
  REQUIRE(measured->migrations.size() == 2);
  CHECK(measured->migrations[1].statements.empty());  // the failed statement measured nothing
  REQUIRE(measured->migrations[1].failure);
  CHECK(*measured->migrations[1].failure == "division by zero");
}

TEST_CASE("engine: without measure_dry_run a dry run measures nothing; the lint of a rollback rehearses downs") {
  Engine engine;
  engine.registry.add("20250101000000_a.cpp", create_a, drop_a);
  engine.registry.add("20250101000001_b.cpp", create_b, drop_b);
  {
    auto migrator = engine.migrator();
    REQUIRE(migrator.run() == ExitCode::ok);
  }
  engine.settings.dry_run = true;
  {
    auto migrator = engine.migrator();
    CHECK(migrator.rollback() == ExitCode::ok);
    CHECK_FALSE(migrator.dry_run_measured());
  }
  engine.settings.dry_run = false;
  auto migrator = engine.migrator();
  LintRequest request;
  request.rollback = true;
  request.steps = 1;
  const auto lint = migrator.rehearse_for_lint(request);
  CHECK(lint.rollback);
  REQUIRE(lint.migrations.size() == 1);
  CHECK(lint.migrations[0].name == "20250101000001_b.cpp");
  REQUIRE(lint.migrations[0].statements.size() == 1);
  CHECK(lint.migrations[0].statements[0].sql == "drop b");
  CHECK(engine.objects() == Strings{"a", "b"});  // rolled back
  CHECK(engine.recorded() == Strings{"20250101000000_a.cpp:1", "20250101000001_b.cpp:1"});
}
