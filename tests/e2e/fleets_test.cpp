// Fleets: one command on many databases or tenant schemas, a result per target.
#include "e2e.hpp"
#include "fleet_fixtures.hpp"
#include "../support/held_table.hpp"
#include "../support/terminal_session.hpp"
#include "../support/wait_until.hpp"

#include "pg/store.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <fstream>
#include <unistd.h>

using namespace sonamu::test;

TEST_CASE("a fleet of 40 databases with one broken target: every other one migrated, the broken one named") {
  DatabaseFleet databases(40);
  const std::size_t broken = 6;  // the 7th
  databases.exec(broken, conflict);
  Project project(databases_fleet(databases));

  const auto run = fleet(project, {"run", "--fleet", "tenants", "--parallel", "4"});
  CHECK(run.exit_code == 1);
  CHECK(run.banner == "Environment: development, fleet: tenants (40 targets, 4 at once)");
  CHECK(run.err == databases.names()[broken] + ": ❌ Error running 20251220143022_create__users.cpp\n"
                   "   Error: relation \"users\" already exists\n");
  CHECK(run.out == "39 migrated, 1 failed\n");
  for (std::size_t i = 0; i < databases.names().size(); ++i) {
    INFO(databases.names()[i]);
    if (i == broken) {
      CHECK((databases.recorded(i) == "" || databases.recorded(i) == "<no table>"));
      CHECK(databases.scalar(i, "SELECT string_agg(column_name, ',') FROM information_schema.columns "
                                "WHERE table_name = 'users'") == "conflict");
      CHECK(databases.scalar(i, "SELECT to_regclass('public.posts') IS NULL") == "t");
    } else {
      CHECK(databases.recorded(i) == all_six(1));
    }
  }

  // status --fleet: the table, and the JSON document, compared whole.
  const auto status = fleet(project, {"status", "--fleet", "tenants"});
  CHECK(status.exit_code == 0);
  std::string table = "target" + std::string(databases.names()[0].size() - 6, ' ') + "  applied  pending  last batch\n";
  for (std::size_t i = 0; i < databases.names().size(); ++i) {
    table += databases.names()[i] + (i == broken ? "        0        6           -\n" : "        6        0           1\n");
  }
  const std::string newest = bundled(".cpp").back();
  const std::string& behind = databases.names()[broken];
  CHECK(status.out == table + "1 with pending migrations, 39 already up to date\n"
                              "Versions:\n"
                              "  " + newest + "  39 targets  newest\n"
                              "  (none applied)" + std::string(newest.size() - 14, ' ') + "  1 target    behind\n"
                              "Behind the newest (1): " + behind + "\n"
                              "With pending migrations (1): " + behind + "\n");
  CHECK(status.err.empty());

  const auto json = fleet(project, {"status", "--fleet", "tenants", "--json"});
  CHECK(json.exit_code == 0);
  nlohmann::json targets = nlohmann::json::array();
  nlohmann::json pending = nlohmann::json::array();
  for (const auto& name : bundled(".cpp")) pending.push_back(name);
  for (std::size_t i = 0; i < databases.names().size(); ++i) {
    targets.push_back({{"target", databases.names()[i]}, {"result", i == broken ? "pending" : "up_to_date"},
                       {"exit_code", 0}, {"error", nullptr},
                       {"applied", i == broken ? 0 : 6},
                       {"pending", i == broken ? pending : nlohmann::json::array()},
                       {"last_batch", i == broken ? nlohmann::json(nullptr) : nlohmann::json(1)},
                       {"version", i == broken ? nlohmann::json(nullptr) : nlohmann::json(newest)},
                       {"edited", nlohmann::json::array()}});
  }
  const nlohmann::json expected = {
      {"command", "status"}, {"environment", "development"}, {"database", nullptr}, {"ok", true},
      {"exit_code", 0}, {"fleet", "tenants"}, {"shard", nullptr}, {"dry_run", false}, {"resumed", nullptr},
      {"summary", {{"done", 1}, {"up_to_date", 39}, {"failed", 0}, {"not_started", 0}}},
      {"stopped", nullptr}, {"not_started", nlohmann::json::array()}, {"throttled", nlohmann::json::array()},
      {"targets", targets},
      {"versions",
       {{"newest", newest},
        {"by_version",
         {{{"version", newest}, {"targets", 39}, {"newest", true}},
          {{"version", nullptr}, {"targets", 1}, {"newest", false}}}},
        {"behind", nlohmann::json::array({behind})}, {"pending", nlohmann::json::array({behind})},
        {"edited", nlohmann::json::array()},
        {"unread", nlohmann::json::array()}}}};
  CHECK(nlohmann::json::parse(json.out) == expected);
  CHECK(json.out == expected.dump(2) + "\n");

  // Fixed, the fleet is run again: the broken target is migrated, the others left alone.
  databases.exec(broken, "DROP TABLE users");
  const auto again = fleet(project, {"run", "--fleet", "tenants", "--json"});
  CHECK(again.exit_code == 0);
  const auto document = nlohmann::json::parse(again.out);
  CHECK(document["summary"] == nlohmann::json({{"done", 1}, {"up_to_date", 39}, {"failed", 0}, {"not_started", 0}}));
  CHECK(document["targets"][broken]["result"] == "done");
  CHECK(document["targets"][broken]["batches"][0]["batch"] == 1);
  CHECK(document["targets"][0]["batches"] == nlohmann::json::array());
  for (std::size_t i = 0; i < databases.names().size(); ++i) CHECK(databases.recorded(i) == all_six(1));
}

TEST_CASE("status --check --fleet fails on a target with an edited migration, as status --check does alone") {
  TestDatabase db;
  db.query("CREATE SCHEMA tenant_a");
  db.query("CREATE SCHEMA tenant_b");
  Project project("{ \"schemas\": { \"connection\": \"" + db.conninfo() +
                  "\", \"schemas\": \"SELECT nspname FROM pg_namespace WHERE nspname IN ('tenant_a', 'tenant_b') ORDER BY 1\" } }");
  REQUIRE(fleet(project, {"run", "--fleet", "schemas"}).exit_code == 0);
  REQUIRE(fleet(project, {"status", "--fleet", "schemas", "--check"}).exit_code == 0);
  // The source recorded at apply time differs from the one compiled in: edited since.
  const std::string edited = bundled(".cpp").front();
  db.query("UPDATE tenant_b.knex_migrations_sources SET source_hash = repeat('0', 64) WHERE name = '" + edited + "'");

  const auto status = fleet(project, {"status", "--fleet", "schemas", "--check"});
  CHECK(status.exit_code == 1);
  CHECK(status.err == "tenant_b: ❌ 1 edited since applied (" + edited + ")\n");
  CHECK_THAT(status.out, Catch::EndsWith("1 already up to date, 1 failed\n"
                                         "Versions:\n"
                                         "  " + bundled(".cpp").back() + "  2 targets   newest\n"
                                         "With migrations edited since applied (1): tenant_b\n"));
  // Without --check the same state is reported, not failed.
  const auto plain = fleet(project, {"status", "--fleet", "schemas"});
  CHECK(plain.exit_code == 0);
}

TEST_CASE("--shard K/N: the shares of a fleet are disjoint and cover it; the banner and the JSON say which") {
  TestDatabase db;
  std::string list;
  for (int i = 0; i < 8; ++i) {
    const std::string schema = "shard_" + std::to_string(i);
    db.query("CREATE SCHEMA " + schema);
    list += (list.empty() ? "'" : ", '") + schema + "'";
  }
  Project project("{ \"schemas\": { \"connection\": \"" + db.conninfo() +
                  "\", \"schemas\": \"SELECT nspname FROM pg_namespace WHERE nspname IN (" + list +
                  ") ORDER BY 1\" } }");
  std::vector<std::string> seen;
  std::size_t ran = 0;
  for (const std::string shard : {"1/3", "2/3", "3/3"}) {
    const auto run = fleet(project, {"run", "--fleet", "schemas", "--shard", shard});
    INFO(shard << ": " << run.err);
    CHECK(run.exit_code == 0);
    const auto status = fleet(project, {"status", "--fleet", "schemas", "--shard", shard, "--json"});
    REQUIRE(status.exit_code == 0);
    const auto document = nlohmann::json::parse(status.out);
    CHECK(document["shard"] == shard);
    const std::size_t share = document["targets"].size();
    CHECK(run.banner == "Environment: development, fleet: schemas (shard " + shard + ": " + std::to_string(share) +
                            " of 8 targets, 4 at once)");
    for (const auto& target : document["targets"]) seen.push_back(target["target"].get<std::string>());
    ran += share;
  }
  // Each schema in exactly one share, and every one migrated by its share's run.
  std::sort(seen.begin(), seen.end());
  CHECK(ran == 8);
  CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());
  for (int i = 0; i < 8; ++i) {
    CHECK(db.scalar("SELECT count(*) FROM shard_" + std::to_string(i) + ".knex_migrations") == "6");
  }
  const auto bad = fleet(project, {"run", "--fleet", "schemas", "--shard", "4/3"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "Error: --shard 4/3: expected K/N with 1 <= K <= N <= 1000 (e.g. 2/4)\n");
}

TEST_CASE("a fleet of 20 tenant schemas: each has its own bookkeeping and tables; the broken one is named") {
  TestDatabase db;
  std::vector<std::string> schemas;
  for (std::size_t i = 1; i <= 20; ++i) {
    schemas.push_back("tenant_" + two_digits(i));
    db.query("CREATE SCHEMA " + schemas.back());
  }
  db.query("CREATE TABLE tenant_05.users (conflict integer)");
  Project project("{ \"schemas\": { \"connection\": \"" + db.conninfo() +
                  "\", \"schemas\": \"SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\\\_%' ORDER BY 1\" } }");

  const auto run = fleet(project, {"run", "--fleet", "schemas"});
  CHECK(run.exit_code == 1);
  CHECK(run.banner == "Environment: development, fleet: schemas (20 targets, 4 at once)");
  CHECK(run.err == "tenant_05: ❌ Error running 20251220143022_create__users.cpp\n"
                   "   Error: relation \"users\" already exists\n");
  CHECK(run.out == "19 migrated, 1 failed\n");
  for (const auto& schema : schemas) {
    INFO(schema);
    const std::string migrations = db.scalar("SELECT to_regclass('" + schema + ".knex_migrations') IS NOT NULL");
    if (schema == "tenant_05") {
      CHECK((migrations == "f" || db.scalar("SELECT count(*) FROM tenant_05.knex_migrations") == "0"));
      CHECK_FALSE(db.has_table("posts", schema));
    } else {
      CHECK(migrations == "t");
      CHECK(db.scalar("SELECT string_agg(name || ':' || batch, ' ' ORDER BY id) FROM " + schema +
                      ".knex_migrations") == all_six(1));
      CHECK(db.has_table("users", schema));
      CHECK(db.has_table("posts", schema));
    }
  }
  // Nothing landed in public: the search_path of every target was its schema.
  CHECK_FALSE(db.has_table("users"));
  CHECK_FALSE(db.has_table("knex_migrations"));

  const auto status = fleet(project, {"status", "--fleet", "schemas", "--check"});
  CHECK(status.exit_code == 1);
  CHECK(status.err == "tenant_05: ❌ 6 pending migrations\n");
  CHECK(status.out.find("tenant_05        0        6           -\n") != std::string::npos);
  CHECK(status.out.find("tenant_06        6        0           1\n") != std::string::npos);
  CHECK_THAT(status.out, Catch::EndsWith("19 already up to date, 1 failed\n"
                                         "Versions:\n"
                                         "  " + bundled(".cpp").back() + "  19 targets  newest\n"
                                         "  (none applied)                       1 target    behind\n"
                                         "Behind the newest (1): tenant_05\n"
                                         "With pending migrations (1): tenant_05\n"));

  // Rehearsed side by side in one database, the tenants' rollbacks never wait for each other's
  // tables (sizing a neighbour's table being dropped would deadlock).
  for (int attempt = 0; attempt < 3; ++attempt) {
    const auto dry = fleet(project, {"rollback", "--fleet", "schemas", "--dry-run", "--parallel", "8"});
    CHECK(dry.exit_code == 0);
    CHECK(dry.err.empty());
    CHECK(dry.out == "19 rehearsed, 1 already up to date\n");
  }
  CHECK(db.has_table("users", "tenant_01"));

  // A whole-fleet rollback off a terminal proceeds as a single one does, each schema on its own.
  const auto rollback = fleet(project, {"rollback", "--fleet", "schemas"});
  CHECK(rollback.exit_code == 0);
  CHECK(rollback.out == "19 rolled back, 1 already up to date\n");
  CHECK_FALSE(db.has_table("users", "tenant_01"));
  CHECK(db.has_table("users", "tenant_05"));  // the test's own table, never touched
}

namespace {

/// `count` tenant schemas tenant_01, tenant_02, ... of `db`, every migration applied in each,
/// each holding a user and a post; and the fleet `schemas` that lists them, or `query`.
std::unique_ptr<Project> applied_tenants(const TestDatabase& db, std::size_t count, const std::string& query = "") {
  for (std::size_t i = 1; i <= count; ++i) db.query("CREATE SCHEMA tenant_" + two_digits(i));
  const std::string all = "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\\\_%' ORDER BY 1";
  REQUIRE(fleet(Project("{ \"schemas\": { \"connection\": \"" + db.conninfo() + "\", \"schemas\": \"" + all +
                        "\" } }"),
                {"run", "--fleet", "schemas", "--parallel", "8"})
              .exit_code == 0);
  for (std::size_t i = 1; i <= count; ++i) {
    const std::string schema = "tenant_" + two_digits(i);
    db.query("INSERT INTO " + schema + ".users (email) VALUES ('" + schema + "@example.com')");
    db.query("INSERT INTO " + schema + ".posts (user_id, title) SELECT id, 'hello' FROM " + schema + ".users");
  }
  return std::make_unique<Project>("{ \"schemas\": { \"connection\": \"" + db.conninfo() +
                                   "\", \"schemas\": \"" + (query.empty() ? all : query) + "\" } }");
}

/// Every tenant as applied_tenants left it: its records, its tables, its rows.
void check_tenants_unchanged(const TestDatabase& db, std::size_t count) {
  for (std::size_t i = 1; i <= count; ++i) {
    const std::string schema = "tenant_" + two_digits(i);
    INFO(schema);
    CHECK(db.scalar("SELECT string_agg(name || ':' || batch, ' ' ORDER BY id) FROM " + schema +
                    ".knex_migrations") == all_six(1));
    CHECK(db.scalar("SELECT string_agg(email, ',') FROM " + schema + ".users") == schema + "@example.com");
    CHECK(db.scalar("SELECT count(*) FROM " + schema + ".posts") == "1");
  }
}

}  // namespace

TEST_CASE("verify --all of 20 tenant schemas side by side: each reads its own tables, none deadlocks") {
  TestDatabase db;
  const auto project = applied_tenants(db, 20);
  // Each tenant's verify copies its rows before every down: were the copy to read the other
  // tenants' tables, it would wait on (and deadlock with) their downs dropping them.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const auto verify = fleet(*project, {"verify", "--all", "--fleet", "schemas", "--parallel", "8",
                                         "--lock-timeout-sql", "5s"});
    CHECK(verify.exit_code == 0);
    CHECK(verify.err.empty());
    CHECK(verify.out == "20 verified\n");
  }
  check_tenants_unchanged(db, 20);
}

TEST_CASE("verify of one tenant never waits on another tenant's table held by another session") {
  TestDatabase db;
  const auto project = applied_tenants(db, 5, "SELECT 'tenant_01'");
  HeldTable held(db, "tenant_05", "users");
  REQUIRE(db.scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'relation' AND granted "
                    "AND mode = 'AccessExclusiveLock' AND relation = 'tenant_05.users'::regclass") == "1");
  // Bounded: a wait for tenant_05.users would end as a failure after 1 s, not hang.
  const auto verify = fleet(*project, {"verify", "--all", "--fleet", "schemas", "--lock-timeout-sql", "1s"});
  INFO(verify.err);
  CHECK(verify.exit_code == 0);
  CHECK(verify.err.empty());
  CHECK(verify.out == "1 verified\n");
  held.release();
  check_tenants_unchanged(db, 5);
}

TEST_CASE("--canary: a failing canary stops the fleet before the rest start") {
  DatabaseFleet databases(6);
  databases.exec(1, conflict);
  Project project(databases_fleet(databases));
  const auto& names = databases.names();

  const auto run = fleet(project, {"run", "--fleet", "tenants", "--canary", "3"});
  CHECK(run.exit_code == 1);
  CHECK(run.err == names[1] + ": ❌ Error running 20251220143022_create__users.cpp\n"
                   "   Error: relation \"users\" already exists\n"
                   "Stopped (canary " + names[1] + " failed): not started: " + names[2] + ", " + names[3] + ", " +
                   names[4] + ", " + names[5] + "\n");
  CHECK(run.out == "1 migrated, 1 failed, 4 not started\n");
  CHECK(databases.recorded(0) == all_six(1));
  for (std::size_t i = 2; i < names.size(); ++i) CHECK(databases.recorded(i) == "<no table>");

  // The canaries pass: the rest start and finish.
  databases.exec(1, "DROP TABLE users");
  const auto again = fleet(project, {"run", "--fleet", "tenants", "--canary", "3"});
  CHECK(again.exit_code == 0);
  CHECK(again.out == "5 migrated, 1 already up to date\n");
  for (std::size_t i = 0; i < names.size(); ++i) CHECK(databases.recorded(i) == all_six(1));
}

TEST_CASE("--fail-fast: the first failure starts no further target; the default goes on") {
  DatabaseFleet databases(5);
  databases.exec(0, conflict);
  Project project(databases_fleet(databases));
  const auto& names = databases.names();

  const auto fast = fleet(project, {"run", "--fleet", "tenants", "--parallel", "1", "--fail-fast", "--json"});
  CHECK(fast.exit_code == 1);
  const auto document = nlohmann::json::parse(fast.out);
  CHECK(document["ok"] == false);
  CHECK(document["exit_code"] == 1);
  CHECK(document["stopped"] == "--fail-fast: " + names[0] + " failed");
  CHECK(document["not_started"] == nlohmann::json({names[1], names[2], names[3], names[4]}));
  CHECK(document["targets"][0]["result"] == "failed");
  CHECK(document["targets"][0]["error"] ==
        nlohmann::json({{"migration", "20251220143022_create__users.cpp"},
                        {"message", "relation \"users\" already exists"}}));
  CHECK(document["targets"][1] ==
        nlohmann::json({{"target", names[1]}, {"result", "not_started"}, {"exit_code", nullptr},
                        {"error", nullptr}, {"batches", nlohmann::json::array()}}));
  for (std::size_t i = 1; i < names.size(); ++i) CHECK(databases.recorded(i) == "<no table>");

  const auto go_on = fleet(project, {"run", "--fleet", "tenants", "--parallel", "1"});
  CHECK(go_on.exit_code == 1);
  CHECK(go_on.out == "4 migrated, 1 failed\n");
}

TEST_CASE("never more than --parallel N + 1 connections, seen in pg_stat_activity while the fleet runs") {
  DatabaseFleet databases(7);
  Project project(databases_fleet(databases));
  // Another runner holds the migration lock of every target: each worker waits on its
  // connection, so the fleet's connections pile up as far as the pool lets them.
  std::vector<std::unique_ptr<pqxx::connection>> locks;
  for (std::size_t i = 0; i < databases.names().size(); ++i) locks.push_back(hold_migration_lock(databases, i));

  Process process(fleet_spec(project, {"run", "--fleet", "tenants", "--parallel", "3"}));
  wait_until("three fleet connections", [&] { return open_connections(databases) >= 3; });
  int most = 0;
  // Release the targets one at a time, checking the count at every step.
  for (std::size_t i = 0; i < locks.size(); ++i) {
    most = std::max(most, open_connections(databases));
    locks[i].reset();
    wait_until("target " + std::to_string(i) + " migrated", [&] { return databases.recorded(i) == all_six(1); });
    most = std::max(most, open_connections(databases));
  }
  const auto result = process.wait();
  CHECK(result.exit_code == 0);
  CHECK(most >= 3);
  CHECK(most <= 4);
  CHECK(split_banner(result).out == "7 migrated\n");
}

TEST_CASE("kill -9 of a fleet midway, then a re-run finishes what is left and leaves the rest alone") {
  DatabaseFleet databases(12);
  Project project(databases_fleet(databases));
  const std::size_t stuck = 5;
  auto lock = hold_migration_lock(databases, stuck);

  Process process(fleet_spec(project, {"run", "--fleet", "tenants", "--parallel", "1"}));
  wait_for_runner_on(databases, databases.names()[stuck]);
  process.signal(SIGKILL);
  CHECK(process.wait().exit_code == 128 + SIGKILL);
  lock.reset();

  std::size_t done = 0;
  for (std::size_t i = 0; i < databases.names().size(); ++i) {
    const auto recorded = databases.recorded(i);
    CHECK((recorded == all_six(1) || recorded == "<no table>" || recorded.empty()));
    if (recorded == all_six(1)) ++done;
  }
  CHECK(done == stuck);  // one at a time, in order: the targets before the stuck one

  const auto again = fleet(project, {"run", "--fleet", "tenants"});
  CHECK(again.exit_code == 0);
  CHECK(again.out == std::to_string(12 - done) + " migrated, " + std::to_string(done) + " already up to date\n");
  for (std::size_t i = 0; i < databases.names().size(); ++i) CHECK(databases.recorded(i) == all_six(1));
}

TEST_CASE("Ctrl-C stops new targets, the running one rolls back, the rest are reported not started") {
  DatabaseFleet databases(4);
  Project project(databases_fleet(databases));
  auto lock = hold_migration_lock(databases, 1);
  Process process(fleet_spec(project, {"run", "--fleet", "tenants", "--parallel", "1"}));
  wait_for_runner_on(databases, databases.names()[1]);
  process.signal(SIGINT);
  const auto result = split_banner(process.wait());
  CHECK(result.exit_code == 130);
  const auto& names = databases.names();
  CHECK(result.err == names[1] + ": ❌ interrupted by SIGINT: the transaction in progress was rolled back and the lock released\n"
                      "Stopped (interrupted by SIGINT): not started: " + names[2] + ", " + names[3] + "\n");
  CHECK(result.out == "1 migrated, 1 failed, 2 not started\n");
  CHECK(databases.recorded(0) == all_six(1));
  for (std::size_t i = 1; i < names.size(); ++i) CHECK(databases.recorded(i) == "<no table>");
}

TEST_CASE("SIGTERM stops a fleet as Ctrl-C does, with exit 143") {
  DatabaseFleet databases(3);
  Project project(databases_fleet(databases));
  auto lock = hold_migration_lock(databases, 0);
  Process process(fleet_spec(project, {"run", "--fleet", "tenants", "--parallel", "1", "--json"}));
  wait_for_runner_on(databases, databases.names()[0]);
  process.signal(SIGTERM);
  const auto result = process.wait();
  CHECK(result.exit_code == 143);
  const auto document = nlohmann::json::parse(result.out);
  CHECK(document["exit_code"] == 143);
  CHECK(document["stopped"] == "interrupted by SIGTERM");
  CHECK(document["not_started"] == nlohmann::json({databases.names()[1], databases.names()[2]}));
  CHECK(document["targets"][0]["exit_code"] == 143);
  for (std::size_t i = 0; i < databases.names().size(); ++i) CHECK(databases.recorded(i) == "<no table>");
}

TEST_CASE("a targets fleet with ${VAR}; --dry-run changes none; rollback and status across it") {
  TestDatabase eu;
  TestDatabase us;
  Project project("{ \"regions\": { \"targets\": [\"dbname=" + eu.name() + "\", \"dbname=${US_DATABASE}\"] } }");
  const std::map<std::string, std::optional<std::string>> env = {{"US_DATABASE", us.name()}};

  const auto dry = fleet(project, {"run", "--fleet", "regions", "--dry-run"}, env);
  CHECK(dry.exit_code == 0);
  CHECK(dry.out == "2 rehearsed\n");
  CHECK(recorded(eu) == "<no table>");
  CHECK(recorded(us) == "<no table>");

  const auto run = fleet(project, {"run", "--fleet", "regions"}, env);
  CHECK(run.exit_code == 0);
  CHECK(run.out == "2 migrated\n");
  CHECK(recorded(eu) == all_six(1));
  CHECK(recorded(us) == all_six(1));

  const auto history = fleet(project, {"history", "--fleet", "regions", "--limit", "1"}, env);
  CHECK(history.exit_code == 0);
  CHECK_THAT(history.out, Catch::StartsWith("== " + server_description(eu.name()) + " ==\n"));
  CHECK(history.out.find("== " + server_description(us.name()) + " ==\n") != std::string::npos);

  const auto unset = fleet(project, {"run", "--fleet", "regions"});
  CHECK(unset.exit_code == 2);
  CHECK_THAT(unset.err, Catch::EndsWith("fleets.regions.targets[1]: environment variable US_DATABASE is not set\n"));

  const auto down = fleet(project, {"down", "--fleet", "regions", "--yes"}, env);
  CHECK(down.exit_code == 0);
  CHECK(down.out == "2 rolled back\n");
  CHECK(recorded(eu) == all_six(1).substr(0, all_six(1).rfind(' ')));
}

TEST_CASE("fleet mistakes are refused before anything connects") {
  TestDatabase db;
  Project project("{ \"both\": { \"connection\": \"dbname=postgres\", \"databases\": \"SELECT 1\", "
                  "\"targets\": [\"dbname=x\"] }, \"ok\": { \"targets\": [\"dbname=" + db.name() + "\"] } }");
  const auto both = fleet(project, {"run", "--fleet", "both"});
  CHECK(both.exit_code == 2);
  CHECK_THAT(both.err, Catch::EndsWith("fleets.both: expected exactly one of databases, schemas or targets\n"));

  Project good("{ \"ok\": { \"targets\": [\"dbname=" + db.name() + "\"] } }");
  const auto missing = fleet(good, {"run", "--fleet", "ok", "--connection", db.conninfo()});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "Error: --fleet and --connection exclude each other: the fleet lists its own targets\n");
  CHECK(recorded(db) == "<no table>");

  const auto unknown = fleet(good, {"status", "--fleet", "nope"});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::EndsWith("fleets.nope: missing (fleets defined: ok)\n"));

  const auto backup = fleet(good, {"rollback", "--fleet", "ok", "--backup", "dump.sql"});
  CHECK(backup.exit_code == 2);
  CHECK(backup.err == "Error: --backup takes one database: back up a fleet's databases before, one by one\n");

  ScratchDirectory folder("sonamu-fleet");
  std::ofstream(folder.path() / "sonamu.config.json")
      << "{ \"migrations\": { \"backupBeforeRollback\": \"dump.sql\" }, \"fleets\": { \"ok\": { \"targets\": "
         "[\"dbname=" << db.name() << "\"] } } }\n";
  ProcessSpec configured = fleet_spec(good, {"rollback", "--fleet", "ok"});
  configured.cwd = folder.string();
  const auto configured_backup = run_migrate(configured);
  CHECK(configured_backup.exit_code == 2);
  CHECK(configured_backup.err == "Error: backupBeforeRollback takes one database: back up a fleet's databases "
                                 "before, one by one, and roll back without it\n");

  Project broken_query("{ \"q\": { \"connection\": \"dbname=" + db.name() + "\", \"schemas\": \"SELECT nope\" } }");
  const auto query = fleet(broken_query, {"status", "--fleet", "q"});
  CHECK(query.exit_code == 2);
  CHECK(query.err == "Error: The target query of fleet q failed on " + server_description(db.name()) +
                         ": column \"nope\" does not exist\n");

  Project empty("{ \"none\": { \"connection\": \"dbname=" + db.name() + "\", \"databases\": \"SELECT datname FROM "
                "pg_database WHERE false\" } }");
  const auto no_target = fleet(empty, {"run", "--fleet", "none"});
  CHECK(no_target.exit_code == 2);
  CHECK(no_target.err == "Error: The target query of fleet none returned no target\n");
}

TEST_CASE("rollback --fleet on a terminal lists each target's data at risk and asks once") {
  DatabaseFleet databases(3);
  Project project(databases_fleet(databases));
  REQUIRE(fleet(project, {"run", "--fleet", "tenants"}).exit_code == 0);
  databases.exec(0, "INSERT INTO users (email) VALUES ('a@example.com')");
  databases.exec(2, "INSERT INTO users (email) VALUES ('b@example.com'), ('c@example.com')");
  const auto& names = databases.names();

  {
    TerminalSession terminal(fleet_spec(project, {"rollback", "--fleet", "tenants"}));
    wait_until("the question", [&] { return terminal.screen().find("[y/N]") != std::string::npos; });
    const std::string screen = terminal.screen();
    INFO(screen);
    CHECK_THAT(screen, Catch::Contains(names[0] + ":\n  ⚠ users: 1 row will be deleted\n"));
    CHECK_THAT(screen, Catch::Contains(names[2] + ":\n  ⚠ users: 2 rows will be deleted\n"));
    CHECK(screen.find(names[1] + ":\n") == std::string::npos);
    CHECK_THAT(screen, Catch::Contains("Roll back 3 targets and delete the data of 2 of them?"));
    terminal.type("n");
    wait_until("the command to end", [&] { return terminal.ended(); });
    CHECK(terminal.exit_status() == 1);
    CHECK_THAT(terminal.screen(), Catch::Contains("Error: Rollback cancelled: nothing was changed"));
  }
  for (std::size_t i = 0; i < names.size(); ++i) CHECK(databases.recorded(i) == all_six(1));

  TerminalSession terminal(fleet_spec(project, {"rollback", "--fleet", "tenants"}));
  wait_until("the question", [&] { return terminal.screen().find("[y/N]") != std::string::npos; });
  terminal.type("y");
  wait_until("the command to end", [&] { return terminal.ended(); });
  CHECK(terminal.exit_status() == 0);
  // The live line left nothing behind: the last line is the counts.
  CHECK_THAT(terminal.screen(), Catch::EndsWith("3 rolled back\n"));
  for (std::size_t i = 0; i < names.size(); ++i) CHECK(databases.recorded(i) == "");
}

TEST_CASE("off a terminal, a fleet rollback that deletes data follows requireYes on every target") {
  TestDatabase first;
  TestDatabase second;
  Project project("{ \"regions\": { \"targets\": [\"dbname=" + first.name() + "\", \"dbname=" + second.name() +
                  "\"] } }");
  REQUIRE(fleet(project, {"run", "--fleet", "regions"}).exit_code == 0);
  first.query("INSERT INTO users (email) VALUES ('a@example.com')");
  ScratchDirectory folder("sonamu-fleet");
  std::ofstream(folder.path() / "sonamu.config.json")
      << "{ \"migrations\": { \"requireYes\": true }, \"fleets\": { \"regions\": { \"targets\": [\"dbname="
      << first.name() << "\", \"dbname=" << second.name() << "\"] } } }\n";
  ProcessSpec spec = fleet_spec(project, {"rollback", "--fleet", "regions"});
  spec.cwd = folder.string();

  const auto refused = run_migrate(spec);
  CHECK(refused.exit_code == 2);
  CHECK(refused.err == server_description(first.name()) + ": ⚠ users: 1 row will be deleted\n" +
                           server_description(first.name()) +
                           ": ❌ This rollback deletes data and the development environment requires --yes to "
                           "confirm it (stdin is not a terminal): nothing was changed\n");
  CHECK(refused.out == "1 rolled back, 1 failed\n");
  CHECK(recorded(first) == all_six(1));
  CHECK(recorded(second).empty());

  spec.argv.push_back("--yes");
  const auto confirmed = run_migrate(spec);
  CHECK(confirmed.exit_code == 0);
  CHECK(confirmed.out == "1 rolled back, 1 already up to date\n");
  CHECK(recorded(first).empty());
}

TEST_CASE("--parallel, --parallel-per-server, --canary, --fail-fast, --shard, --resume and --state without --fleet are refused") {
  TestDatabase db;
  const std::vector<std::vector<std::string>> commands = {
      {"run", "--parallel", "2"}, {"status", "--canary", "1"}, {"rollback", "--fail-fast"}, {"up", "--fail-fast"},
      {"status", "--shard", "1/2"}, {"run", "--parallel-per-server", "1"}, {"run", "--resume"},
      {"history", "--state", "state.json"}};
  for (const auto& args : commands) {
    INFO(args[0] << ' ' << args[1]);
    const auto result = migrate(db, args);
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
    CHECK(result.err == "Error: " + args[1] + " requires --fleet (see sonamu --help)\n");
  }
  CHECK(recorded(db) == "<no table>");
}
