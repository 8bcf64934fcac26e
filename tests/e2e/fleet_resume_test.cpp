// A fleet's state file and --resume, the shards merged by fleet-report, and status --fleet's
// summary by version.
#include "e2e.hpp"
#include "fleet_fixtures.hpp"
#include "../support/wait_until.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <sstream>

using namespace sonamu::test;

namespace {

/// The state file's document; null while there is none.
nlohmann::json state_of(const std::string& path) {
  std::ifstream in(path);
  if (!in) return nullptr;
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

/// How many targets the state file records with `result`.
std::size_t recorded_as(const std::string& path, const std::string& result) {
  const auto state = state_of(path);
  if (state.is_null()) return 0;
  return static_cast<std::size_t>(std::count_if(state["targets"].begin(), state["targets"].end(),
                                                [&](const nlohmann::json& t) { return t["result"] == result; }));
}

/// What the history table of target `i` says was run: "run NAME true" per row, in order.
std::string history_of(const DatabaseFleet& databases, std::size_t i) {
  return databases.scalar(i, "SELECT string_agg(action || ' ' || name || ' ' || success, ',' ORDER BY id) "
                             "FROM knex_migrations_history");
}

std::string six_runs() {
  std::string text;
  for (const auto& name : bundled(".cpp")) text += (text.empty() ? "run " : ",run ") + name + " true";
  return text;
}

/// A schemas fleet named `schemas` over the schemas of `db` whose names start with "tenant_".
std::string tenant_schemas(const TestDatabase& db) {
  return "{ \"schemas\": { \"connection\": \"" + db.conninfo() +
         "\", \"schemas\": \"SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\\\_%' ORDER BY 1\" } }";
}

std::string write_file(const Project& project, const std::string& name, const std::string& text) {
  const std::string path = project.path() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

/// A fleet document with what differs from run to run (durations) set to 0.
nlohmann::json normalised(nlohmann::json document) {
  for (auto& target : document["targets"]) {
    if (!target.contains("batches")) continue;
    for (auto& batch : target["batches"]) {
      for (auto& migration : batch["migrations"]) migration["duration_ms"] = 0;
    }
  }
  return document;
}

}  // namespace

TEST_CASE("kill -9 of a fleet midway, then --resume: only what was left runs, every target migrated exactly once") {
  DatabaseFleet databases(8);
  Project project(databases_fleet(databases));
  const std::string state = project.path() + "/sonamu.fleet-state.tenants.run.json";
  const std::size_t stuck = 4;
  auto lock = hold_migration_lock(databases, stuck);

  Process process(fleet_spec(project, {"run", "--fleet", "tenants", "--parallel", "1"}));
  // One at a time, in order: the state file records the four before the stuck one as done
  // while the fifth waits for the lock another runner holds.
  wait_until("4 targets recorded as done in " + state, [&] { return recorded_as(state, "done") == 4; });
  wait_for_runner_on(databases, databases.names()[stuck]);
  process.signal(SIGKILL);
  CHECK(process.wait().exit_code == 128 + SIGKILL);
  lock.reset();

  const auto recorded = state_of(state);
  CHECK(recorded["command"] == "run");
  CHECK(recorded["fleet"] == "tenants");
  CHECK(recorded_as(state, "not_started") == 4);
  for (std::size_t i = 0; i < databases.names().size(); ++i) {
    CHECK(recorded["targets"][i]["target"] == databases.names()[i]);
    CHECK(recorded["targets"][i]["result"] == (i < stuck ? "done" : "not_started"));
  }

  const auto resumed = fleet(project, {"run", "--fleet", "tenants", "--resume"});
  CHECK(resumed.exit_code == 0);
  CHECK(resumed.banner == "Environment: development, fleet: tenants (8 targets, 4 at once, 4 skipped by --resume)");
  CHECK(resumed.err.empty());
  CHECK(resumed.out == "4 migrated\n");
  for (std::size_t i = 0; i < databases.names().size(); ++i) {
    INFO(databases.names()[i]);
    CHECK(databases.recorded(i) == all_six(1));
    CHECK(history_of(databases, i) == six_runs());
  }
  CHECK(recorded_as(state, "done") == 8);

  // Nothing is left: a resume runs no target, and its document says what it skipped.
  const auto again = fleet(project, {"run", "--fleet", "tenants", "--resume", "--json"});
  CHECK(again.exit_code == 0);
  const auto document = nlohmann::json::parse(again.out);
  CHECK(document["resumed"] == nlohmann::json({{"state", state}, {"skipped", 8}}));
  CHECK(document["targets"] == nlohmann::json::array());
  CHECK(document["summary"] == nlohmann::json({{"done", 0}, {"up_to_date", 0}, {"failed", 0}, {"not_started", 0}}));
  // A plain re-run finds every target up to date, and writes no history either.
  const auto plain = fleet(project, {"run", "--fleet", "tenants"});
  CHECK(plain.out == "8 already up to date\n");
  for (std::size_t i = 0; i < databases.names().size(); ++i) CHECK(history_of(databases, i) == six_runs());
}

TEST_CASE("--resume runs what failed; refuses the state of another command or target list (exit 2)") {
  TestDatabase db;
  for (const std::string schema : {"tenant_a", "tenant_b", "tenant_c"}) db.query("CREATE SCHEMA " + schema);
  db.query("CREATE TABLE tenant_b.users (conflict integer)");
  Project project(tenant_schemas(db));
  const std::string state = project.path() + "/sonamu.fleet-state.schemas.run.json";

  const auto run = fleet(project, {"run", "--fleet", "schemas"});
  CHECK(run.exit_code == 1);
  CHECK(run.out == "2 migrated, 1 failed\n");
  // A status between the run and its resume keeps a state file of its own.
  CHECK(fleet(project, {"status", "--fleet", "schemas"}).exit_code == 0);
  CHECK(state_of(project.path() + "/sonamu.fleet-state.schemas.status.json")["command"] == "status");

  db.query("DROP TABLE tenant_b.users");
  const auto resumed = fleet(project, {"run", "--fleet", "schemas", "--resume"});
  CHECK(resumed.exit_code == 0);
  CHECK(resumed.banner == "Environment: development, fleet: schemas (3 targets, 4 at once, 2 skipped by --resume)");
  CHECK(resumed.out == "1 migrated\n");
  CHECK(db.scalar("SELECT count(*) FROM tenant_b.knex_migrations") == "6");

  const auto other = fleet(project, {"rollback", "--fleet", "schemas", "--resume", "--state", state});
  CHECK(other.exit_code == 2);
  CHECK(other.err == "Error: --resume: the state file " + state +
                         " records `run`, not `rollback`; run without --resume to start afresh (the file is then "
                         "replaced)\n");
  CHECK(db.scalar("SELECT count(*) FROM tenant_a.knex_migrations") == "6");

  db.query("CREATE SCHEMA tenant_d");
  const auto listed = fleet(project, {"run", "--fleet", "schemas", "--resume"});
  CHECK(listed.exit_code == 2);
  CHECK(listed.err == "Error: --resume: the state file " + state +
                          " records other targets than the fleet lists now: 1 not listed then (tenant_d); run without "
                          "--resume to start afresh (the file is then replaced)\n");
  CHECK(db.scalar("SELECT to_regclass('tenant_d.knex_migrations') IS NULL") == "t");

  // --state names another file; none there yet: every target runs.
  const auto named = fleet(project, {"run", "--fleet", "schemas", "--resume", "--state", "elsewhere.json"});
  CHECK(named.exit_code == 0);
  CHECK(named.banner == "Environment: development, fleet: schemas (4 targets, 4 at once, 0 skipped by --resume)");
  CHECK(named.out == "1 migrated, 3 already up to date\n");
  CHECK(state_of(project.path() + "/elsewhere.json")["targets"].size() == 4);
}

TEST_CASE("fleet-report: shards 1/3, 2/3 and 3/3 cover every target once and merge into one unsharded run's report") {
  TestDatabase db;
  for (int i = 1; i <= 9; ++i) db.query("CREATE SCHEMA tenant_" + std::to_string(i));
  db.query("CREATE TABLE tenant_5.users (conflict integer)");
  Project project(tenant_schemas(db));

  std::vector<std::string> runs, statuses;
  std::vector<std::string> seen;
  int worst = 0;
  for (const std::string k : {"1", "2", "3"}) {
    const auto run = fleet(project, {"run", "--fleet", "schemas", "--shard", k + "/3", "--json"});
    INFO(run.err);
    const auto document = nlohmann::json::parse(run.out);
    CHECK(document["shard"] == k + "/3");
    CHECK(run.exit_code == document["exit_code"]);
    worst = std::max(worst, run.exit_code);
    for (const auto& target : document["targets"]) seen.push_back(target["target"].get<std::string>());
    runs.push_back(write_file(project, "run-" + k + ".json", run.out));
    const auto status = fleet(project, {"status", "--fleet", "schemas", "--shard", k + "/3", "--json"});
    statuses.push_back(write_file(project, "status-" + k + ".json", status.out));
  }
  CHECK(worst == 1);
  std::sort(seen.begin(), seen.end());
  CHECK(seen == std::vector<std::string>({"tenant_1", "tenant_2", "tenant_3", "tenant_4", "tenant_5", "tenant_6",
                                          "tenant_7", "tenant_8", "tenant_9"}));

  const auto merged = fleet(project, {"fleet-report", runs[0], runs[1], runs[2], "--json"});
  CHECK(merged.exit_code == 1);
  const auto text = fleet(project, {"fleet-report", runs[2], runs[0], runs[1]});
  CHECK(text.exit_code == 1);
  CHECK(text.err == "tenant_5: ❌ Error running 20251220143022_create__users.cpp\n"
                    "   Error: relation \"users\" already exists\n");
  CHECK(text.out == "8 migrated, 1 failed\n");
  const auto merged_status = fleet(project, {"fleet-report", statuses[0], statuses[1], statuses[2], "--json"});
  CHECK(merged_status.exit_code == 0);

  // The same fleet, unsharded, from the same start: the same documents.
  const auto status = fleet(project, {"status", "--fleet", "schemas", "--json"});
  CHECK(nlohmann::json::parse(merged_status.out) == nlohmann::json::parse(status.out));
  REQUIRE(fleet(project, {"rollback", "--all", "--fleet", "schemas"}).exit_code == 0);
  const auto whole = fleet(project, {"run", "--fleet", "schemas", "--json"});
  CHECK(whole.exit_code == 1);
  CHECK(normalised(nlohmann::json::parse(merged.out)) == normalised(nlohmann::json::parse(whole.out)));
}

TEST_CASE("fleet-report refuses mixed commands, a shard given twice or missing, and a target in two shards (exit 2)") {
  TestDatabase db;
  for (int i = 1; i <= 6; ++i) db.query("CREATE SCHEMA tenant_" + std::to_string(i));
  Project project(tenant_schemas(db));
  std::vector<std::string> runs, statuses;
  for (const std::string k : {"1", "2"}) {
    runs.push_back(write_file(project, "run-" + k + ".json",
                              fleet(project, {"run", "--fleet", "schemas", "--shard", k + "/2", "--json"}).out));
    statuses.push_back(write_file(project, "status-" + k + ".json",
                                  fleet(project, {"status", "--fleet", "schemas", "--shard", k + "/2", "--json"}).out));
  }
  const auto missing = fleet(project, {"fleet-report", runs[0]});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "Error: fleet-report: shard 2/2 is missing: every shard of the split is needed\n");
  const auto twice = fleet(project, {"fleet-report", runs[0], runs[1], runs[0]});
  CHECK(twice.exit_code == 2);
  CHECK(twice.err == "Error: fleet-report: shard 1/2 is given twice: " + runs[0] + " and " + runs[0] + "\n");
  const auto mixed = fleet(project, {"fleet-report", runs[0], statuses[1]});
  CHECK(mixed.exit_code == 2);
  CHECK(mixed.err == "Error: fleet-report: " + statuses[1] + " is `status` on fleet schemas (development), " +
                         runs[0] + " is `run` on fleet schemas (development): merge the shards of one command only\n");
  // A target of shard 1 written into shard 2's document as well.
  auto first = nlohmann::json::parse(fleet(project, {"status", "--fleet", "schemas", "--shard", "1/2", "--json"}).out);
  auto second = nlohmann::json::parse(fleet(project, {"status", "--fleet", "schemas", "--shard", "2/2", "--json"}).out);
  REQUIRE(!first["targets"].empty());
  second["targets"].push_back(first["targets"][0]);
  const std::string overlapping = write_file(project, "overlapping.json", second.dump());
  const auto overlap = fleet(project, {"fleet-report", statuses[0], overlapping});
  CHECK(overlap.exit_code == 2);
  CHECK(overlap.err == "Error: fleet-report: the target " + first["targets"][0]["target"].get<std::string>() +
                           " is in both " + statuses[0] + " and " + overlapping + "\n");
  const auto merged = fleet(project, {"fleet-report", statuses[1], statuses[0]});
  CHECK(merged.exit_code == 0);
  CHECK(merged.out == "6 already up to date\n"
                      "Versions:\n"
                      "  " + bundled(".cpp").back() + "  6 targets   newest\n");
}

TEST_CASE("status --fleet ends with a summary by version: targets at each, behind, pending and edited") {
  TestDatabase db;
  for (const std::string schema : {"tenant_a", "tenant_b", "tenant_c", "tenant_d"}) db.query("CREATE SCHEMA " + schema);
  const auto only = [&](const std::string& names) {
    return "{ \"schemas\": { \"connection\": \"" + db.conninfo() +
           "\", \"schemas\": \"SELECT nspname FROM pg_namespace WHERE nspname IN (" + names + ") ORDER BY 1\" } }";
  };
  const auto names = bundled(".cpp");
  REQUIRE(fleet(Project(only("'tenant_b', 'tenant_d'")), {"run", "--fleet", "schemas"}).exit_code == 0);
  REQUIRE(fleet(Project(only("'tenant_a'")), {"run", "--fleet", "schemas", "--to", names[1]}).exit_code == 0);
  db.query("UPDATE tenant_d.knex_migrations_sources SET source_hash = repeat('0', 64) WHERE name = '" + names[0] + "'");
  Project project(tenant_schemas(db));

  const auto status = fleet(project, {"status", "--fleet", "schemas"});
  CHECK(status.exit_code == 0);
  CHECK_THAT(status.out, Catch::EndsWith("3 with pending migrations, 1 already up to date\n"
                                         "Versions:\n"
                                         "  20251220150100_alter_posts_add2.cpp  2 targets   newest\n"
                                         "  20251220143100_create__posts.cpp     1 target    behind\n"
                                         "  (none applied)                       1 target    behind\n"
                                         "Behind the newest (2): tenant_a, tenant_c\n"
                                         "With pending migrations (2): tenant_a, tenant_c\n"
                                         "With migrations edited since applied (1): tenant_d\n"));

  const auto json = fleet(project, {"status", "--fleet", "schemas", "--json"});
  CHECK(json.exit_code == 0);
  const auto document = nlohmann::json::parse(json.out);
  const nlohmann::json expected = {
      {"newest", names.back()},
      {"by_version",
       {{{"version", names.back()}, {"targets", 2}, {"newest", true}},
        {{"version", names[1]}, {"targets", 1}, {"newest", false}},
        {{"version", nullptr}, {"targets", 1}, {"newest", false}}}},
      {"behind", nlohmann::json::array({"tenant_a", "tenant_c"})},
      {"pending", nlohmann::json::array({"tenant_a", "tenant_c"})},
      {"edited", nlohmann::json::array({"tenant_d"})},
      {"unread", nlohmann::json::array()}};
  CHECK(document["versions"] == expected);
  CHECK(document["targets"][0]["version"] == names[1]);
  CHECK(document["targets"][2]["version"] == nullptr);
  CHECK(document["targets"][3]["edited"] == nlohmann::json::array({names[0]}));
}
