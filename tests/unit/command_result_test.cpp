// Commands return values: the function a single command and a fleet target both call returns
// what the engine did, collected from its events while they still reach the terminal; JSON
// and text are written from that value, and every failure maps to its exit code in one place.
#include "../support/fake_engine.hpp"

#include "cli/command_runs.hpp"
#include "cli/failure.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "output/documents.hpp"
#include "output/format.hpp"
#include "output/migration_json.hpp"
#include "output/migration_text.hpp"

#include <catch2/catch.hpp>
#include <pqxx/except>

#include <csignal>

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

/// The engine on the fakes, with a recorder in front of the test's reporter, as the CLI
/// puts one in front of the terminal.
struct RecordedEngine {
  FakeEngine engine;
  ResultRecorder recorder{engine.reporter};
  Migrator migrator() {
    return Migrator(engine.session, engine.store, engine.registry, recorder, engine.settings);
  }
};

Strings names_of(const BatchOutcome& batch) {
  Strings names;
  for (const auto& migration : batch.migrations) names.push_back(migration.name);
  return names;
}

}  // namespace

TEST_CASE("command value: a batch in parts that fails says what stays recorded, and the terminal still saw it all") {
  RecordedEngine recorded;
  auto& registry = recorded.engine.registry;
  registry.add("20250101000000_a.cpp", create_a, drop_a);
  registry.add("20250101000001_b.cpp", create_b, drop_b, false);
  registry.add("20250101000002_c.cpp", create_c, drop_c);
  registry.add("20250101000003_fails.cpp", fails, drop_c);
  Migrator migrator = recorded.migrator();
  const CommandResult result = cli::run_run(migrator, recorded.recorder, cli::Options{});

  CHECK(result.code == ExitCode::migration_failed);
  REQUIRE(result.migration);
  const MigrationResult& value = *result.migration;
  CHECK(value.code == ExitCode::migration_failed);
  // The committed parts are reported as the parts they were, then the part that failed.
  REQUIRE(value.batches.size() == 1);
  const BatchOutcome& batch = value.batches[0];
  CHECK_FALSE(batch.committed);
  CHECK(batch.batch == std::optional<int>(1));
  CHECK(names_of(batch) == Strings{"20250101000000_a.cpp", "20250101000001_b.cpp", "20250101000002_c.cpp",
                                   "20250101000003_fails.cpp"});
  CHECK(batch.migrations[0].status == MigrationStatus::applied);
  CHECK(batch.migrations[1].status == MigrationStatus::applied);
  CHECK(batch.migrations[2].status == MigrationStatus::rolled_back_with_batch);
  CHECK(batch.migrations[3].status == MigrationStatus::failed);
  CHECK_FALSE(batch.migrations[3].duration);
  REQUIRE(value.failure);
  CHECK(value.failure->migration == "20250101000003_fails.cpp");
  CHECK(value.failure->sqlstate == "22012");
  CHECK(value.failure->message == "division by zero");
  CHECK(value.failure->partly_done);
  CHECK(value.failure->recorded == Strings{"20250101000000_a.cpp", "20250101000001_b.cpp"});
  CHECK(value.failure->not_recorded == Strings{"20250101000002_c.cpp", "20250101000003_fails.cpp"});
  CHECK_FALSE(result.changed_nothing());
  // Every event went on to the reporter behind the recorder, as without it.
  const Strings& events = recorded.engine.reporter.events;
  const Strings tail(events.end() - 2, events.end());
  CHECK(tail == Strings{"failed 20250101000003_fails.cpp: division by zero [22012]", "partly 2/2"});
}

TEST_CASE("command value: the JSON of a run is written from its value") {
  RecordedEngine recorded;
  recorded.engine.registry.add("20250101000000_a.cpp", create_a, drop_a);
  Migrator migrator = recorded.migrator();
  const CommandResult result = cli::run_run(migrator, recorded.recorder, cli::Options{});
  REQUIRE(result.code == ExitCode::ok);
  nlohmann::json json = cli::migration_json(*result.migration);
  REQUIRE(json["batches"].size() == 1);
  REQUIRE(json["batches"][0]["migrations"].size() == 1);
  CHECK(json["batches"][0]["migrations"][0]["duration_ms"].is_number());
  json["batches"][0]["migrations"][0]["duration_ms"] = 0;  // the one value that varies
  CHECK(json == nlohmann::json::parse(R"({
    "batches": [{"batch": 1, "direction": "up", "committed": true,
                 "migrations": [{"name": "20250101000000_a.cpp", "status": "applied", "duration_ms": 0}]}],
    "skipped": [], "data_at_risk": [], "lock_retries": [], "error": null})"));
  // A second run has nothing to do: an empty value, which a fleet counts as up to date.
  ResultRecorder again(recorded.engine.reporter);
  Migrator second(recorded.engine.session, recorded.engine.store, recorded.engine.registry, again,
                  recorded.engine.settings);
  const CommandResult nothing = cli::run_run(second, again, cli::Options{});
  CHECK(nothing.code == ExitCode::ok);
  CHECK(nothing.changed_nothing());
}

TEST_CASE("command value: status --check fails on the same value its text and JSON show") {
  RecordedEngine recorded;
  recorded.engine.registry.add("20250101000000_a.cpp", create_a, drop_a);
  recorded.engine.registry.add("20250101000001_b.cpp", create_b, drop_b);
  Migrator migrator = recorded.migrator();
  cli::Options options;
  options.check = true;
  const CommandResult result = cli::run_status(migrator, recorded.recorder, options);
  CHECK(result.kind == CommandResult::Kind::status);
  CHECK(result.code == ExitCode::migration_failed);
  REQUIRE(result.status);
  const std::string text = cli::status_text(*result.status);
  const nlohmann::json json = cli::status_json(*result.status);
  REQUIRE(json["pending"].size() == 2);
  for (const auto& pending : json["pending"]) {
    CHECK(text.find(pending["name"].get<std::string>()) != std::string::npos);
  }
  options.check = false;
  CHECK(cli::run_status(migrator, recorded.recorder, options).code == ExitCode::ok);
}

TEST_CASE("command value: every failure has one exit code and one message, alone and in a fleet") {
  const auto failure = [](auto&& error) {
    try {
      throw error;
    } catch (...) {
      return cli::failure_of(std::current_exception(), "db.example:5432 app");
    }
  };
  const cli::Failure usage = failure(Error(ExitCode::usage, "bad postgres://u:secret@h/db"));
  CHECK(usage.exit_code == 2);
  CHECK(usage.message.find("secret") == std::string::npos);
  const cli::Failure signal = failure(Interrupted(SIGTERM));
  CHECK(signal.exit_code == 128 + SIGTERM);
  CHECK(signal.interrupted);
  CHECK(signal.message ==
        "interrupted by SIGTERM: the transaction in progress was rolled back and the lock released");
  const cli::Failure lost = failure(pqxx::broken_connection("server closed the connection unexpectedly\nmore"));
  CHECK(lost.exit_code == 3);
  CHECK(lost.message == "Lost the connection to PostgreSQL at db.example:5432 app: server closed the connection "
                        "unexpectedly");
  const cli::Failure limited = failure(pqxx::sql_error("canceling statement due to lock timeout", "SELECT 1", "55P03"));
  CHECK(limited.exit_code == 5);
  const cli::Failure other = failure(pqxx::sql_error("relation \"x\" does not exist", "SELECT 1", "42P01"));
  CHECK(other.exit_code == 1);
  CHECK(other.message == "relation \"x\" does not exist");
  CHECK(failure(std::runtime_error("boom")).exit_code == 1);
}

TEST_CASE("command value: one result gives the terminal's text and the JSON document alike") {
  MigrationResult result;
  result.code = ExitCode::locked;
  RiskOutcome risk;
  risk.risk.display = "users.phone";
  risk.risk.kind = LossKind::column;
  risk.risk.count = 12;
  result.data_at_risk.push_back(risk);
  result.batches.push_back({3, Direction::down, true, {{"002_b.cpp", MigrationStatus::rolled_back, std::chrono::milliseconds(4)}}});
  result.batches.push_back({std::nullopt, Direction::down, false, {{"001_a.cpp", MigrationStatus::failed, std::nullopt}}});
  MigrationFailure failure;
  failure.migration = "001_a.cpp";
  failure.direction = Direction::down;
  failure.sqlstate = "55P03";
  failure.message = "canceling statement due to lock timeout";
  LockWait wait;
  wait.relation = "users";
  wait.locktype = "relation";
  wait.mode = "AccessExclusiveLock";
  LockHolder holder;
  holder.pid = 4711;
  holder.application = "api";
  holder.state = "idle in transaction";
  holder.since = "2025-12-20T14:30:00Z";
  holder.state_seconds = 30;
  holder.query = "SELECT 1";
  wait.holders.push_back(holder);
  failure.blocked_by = wait;
  result.failure = failure;

  const cli::Style plain{false, false};
  const std::string text = cli::migration_text(result, {}, plain);
  const std::string expected_head =
      cli::data_at_risk_line(risk.risk, plain) + "\n" +
      "Batch 3 rolled back: 1 migration\n[ok] 002_b.cpp\n"
      "[error] Error rolling back 001_a.cpp\n   Error: canceling statement due to lock timeout\n";
  CHECK(text.substr(0, expected_head.size()) == expected_head);
  CHECK(text.find("4711") != std::string::npos);  // the session that held the lock

  const nlohmann::json json = cli::migration_json(result);
  CHECK(json["data_at_risk"] == nlohmann::json::parse(
                                    R"([{"object": "users.phone", "kind": "column", "count": 12, "estimated": false}])"));
  CHECK(json["batches"][0]["batch"] == 3);
  CHECK(json["batches"][0]["migrations"][0]["name"] == "002_b.cpp");
  CHECK(json["batches"][1]["committed"] == false);
  CHECK(json["error"]["migration"] == "001_a.cpp");
  CHECK(json["error"]["message"] == "canceling statement due to lock timeout");
  CHECK(json["error"]["blocked_by"][0]["pid"] == 4711);
  // --quiet keeps the errors and the data at risk, not the summaries.
  const std::string quiet = cli::migration_text(result, {false, true, false}, plain);
  CHECK(quiet.find("Batch 3") == std::string::npos);
  CHECK(quiet.find("Error rolling back 001_a.cpp") != std::string::npos);
}

TEST_CASE("the rollback's question is preceded by what it reverts, batch by batch") {
  using sonamu::cli::reverting_text;
  CHECK(reverting_text({{7, "20251220143200_alter_users_add1.cpp", 2}}) ==
        "It rolls back 1 migration of batch 2: 20251220143200_alter_users_add1.cpp");
  CHECK(reverting_text({{9, "c.cpp", 4}, {8, "b.cpp", 3}, {6, "a2.cpp", 2}, {5, "a1.cpp", 2}}) ==
        "It rolls back 4 migrations of batches 4, 3 and 2: c.cpp, b.cpp, a2.cpp, a1.cpp");
  CHECK(reverting_text({{9, "c.cpp", 4}, {8, "b.cpp", 3}}) == "It rolls back 2 migrations of batches 4 and 3: c.cpp, b.cpp");
}
