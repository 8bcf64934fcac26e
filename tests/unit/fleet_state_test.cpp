// A fleet's state file and --resume, the merge of shards' documents, the summary by version:
// pure values, no database.
#include "core/error.hpp"
#include "core/fleet.hpp"
#include "core/fleet_state.hpp"
#include "core/fleet_versions.hpp"
#include "output/fleet_report.hpp"
#include "output/fleet_state_json.hpp"

#include <catch2/catch.hpp>

#include <functional>

using namespace sonamu;
using namespace sonamu::cli;

namespace {

TargetResult target(const std::string& name, TargetState state, int code = 0) {
  TargetResult result;
  result.target = name;
  result.state = state;
  result.exit_code = code;
  if (state == TargetState::failed) result.error = "boom";
  return result;
}

FleetState state(const std::string& command, std::vector<TargetResult> targets) {
  FleetState value;
  value.command = command;
  value.fleet = "tenants";
  value.environment = "development";
  value.targets = std::move(targets);
  return value;
}

std::string message_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::usage);
    return e.what();
  }
  return "(no error)";
}

nlohmann::json shard_document(const std::string& shard, std::vector<std::pair<std::string, std::size_t>> targets,
                              int code = 0) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [name, position] : targets) {
    list.push_back({{"target", name}, {"result", "up_to_date"}, {"exit_code", 0}, {"error", nullptr},
                    {"batches", nlohmann::json::array()}, {"position", position}});
  }
  return {{"command", "run"}, {"environment", "development"}, {"database", nullptr}, {"ok", code == 0},
          {"exit_code", code}, {"fleet", "tenants"}, {"shard", shard}, {"dry_run", false}, {"resumed", nullptr},
          {"summary", {{"done", 0}, {"up_to_date", targets.size()}, {"failed", 0}, {"not_started", 0}}},
          {"stopped", nullptr}, {"not_started", nlohmann::json::array()}, {"throttled", nlohmann::json::array()},
          {"targets", list}};
}

}  // namespace

TEST_CASE("fleet state: a resume skips what ended well, and refuses another command or target list") {
  const auto before = state("run", {target("a", TargetState::done), target("b", TargetState::failed, 1),
                                    target("c", TargetState::up_to_date), target("d", TargetState::not_started)});
  const auto now = state("run", {target("a", TargetState::not_started), target("b", TargetState::not_started),
                                 target("c", TargetState::not_started), target("d", TargetState::not_started)});
  CHECK(resume_skips(before, now, "s.json") == std::vector<std::string>({"a", "c"}));

  CHECK(message_of([&] { resume_skips(state("rollback --all", before.targets), now, "s.json"); }) ==
        "--resume: the state file s.json records `rollback --all`, not `run`; run without --resume to start afresh "
        "(the file is then replaced)");
  auto sharded = now;
  sharded.shard = "1/2";
  CHECK(message_of([&] { resume_skips(before, sharded, "s.json"); }) ==
        "--resume: the state file s.json records the whole fleet, not shard 1/2; run without --resume to start "
        "afresh (the file is then replaced)");
  auto grown = now;
  for (const auto& name : {"e", "f", "g", "h"}) grown.targets.push_back(target(name, TargetState::not_started));
  grown.targets.erase(grown.targets.begin());
  CHECK(message_of([&] { resume_skips(before, grown, "s.json"); }) ==
        "--resume: the state file s.json records other targets than the fleet lists now: 4 not listed then (e, f, "
        "g, ...), 1 no longer listed (a); run without --resume to start afresh (the file is then replaced)");
}

TEST_CASE("fleet state: the file's text reads back as the same state; another file is refused") {
  auto value = state("rollback --step 2", {target("a", TargetState::done), target("b \"q\"", TargetState::failed, 5)});
  value.shard = "2/3";
  const FleetState read = parse_fleet_state(fleet_state_text(value), "s.json");
  CHECK(read.command == value.command);
  CHECK(read.shard == "2/3");
  REQUIRE(read.targets.size() == 2);
  CHECK(read.targets[1].target == "b \"q\"");
  CHECK(read.targets[1].state == TargetState::failed);
  CHECK(read.targets[1].exit_code == 5);
  CHECK(read.targets[1].error == "boom");
  CHECK(message_of([] { parse_fleet_state("{\"command\": \"run\"}", "s.json"); }).rfind(
            "--resume: s.json is no fleet state file this version wrote (", 0) == 0);
  CHECK(message_of([] { parse_fleet_state("not json", "s.json"); }).rfind("--resume: s.json is no fleet state", 0) == 0);
}

TEST_CASE("fleet versions: targets by last applied migration, newest first; behind, pending, edited, unread") {
  std::vector<TargetVersion> targets(5);
  targets[0] = {"a", true, "20250101000002_b.cpp", {}, {}};
  targets[1] = {"b", true, "20250101000001_a.js", {"20250101000002_b.cpp"}, {}};
  targets[2] = {"c", true, "", {"20250101000001_a.cpp", "20250101000002_b.cpp"}, {}};
  targets[3] = {"d", true, "20250101000002_b.cpp", {}, {"20250101000001_a.cpp"}};
  targets[4] = {"e", false, "", {}, {}};
  const FleetVersions summary = fleet_versions(targets);
  CHECK(summary.newest == "20250101000002_b.cpp");
  REQUIRE(summary.versions.size() == 3);
  CHECK(summary.versions[0].version == "20250101000002_b.cpp");
  CHECK(summary.versions[0].targets == std::vector<std::string>({"a", "d"}));
  CHECK(summary.versions[0].newest);
  CHECK(summary.versions[1].targets == std::vector<std::string>({"b"}));
  CHECK_FALSE(summary.versions[1].newest);
  CHECK(summary.versions[2].version.empty());
  CHECK(summary.behind == std::vector<std::string>({"b", "c"}));
  CHECK(summary.pending == std::vector<std::string>({"b", "c"}));
  CHECK(summary.edited == std::vector<std::string>({"d"}));
  CHECK(summary.unread == std::vector<std::string>({"e"}));
  // No migration anywhere: every target is at the newest there is.
  CHECK(fleet_versions({{"a", true, "", {}, {}}}).behind.empty());
}

TEST_CASE("fleet exit codes: the most severe of several") {
  CHECK(worst_exit_code({}) == 0);
  CHECK(worst_exit_code({0, 3, 1, 5}) == 1);
  CHECK(worst_exit_code({2, 4, 1}) == 4);
  CHECK(worst_exit_code({1, 130, 4}) == 130);
}

TEST_CASE("fleet-report: shards merged in the fleet's order; gaps and resumed runs refused") {
  const auto one = shard_document("1/2", {{"t0", 0}, {"t3", 3}});
  const auto two = shard_document("2/2", {{"t1", 1}, {"t2", 2}}, 5);
  const MergedFleet merged = merge_fleet_documents({{"b.json", two}, {"a.json", one}});
  CHECK(merged.exit_code == 5);
  CHECK(merged.document["shard"] == nullptr);
  CHECK(merged.document["ok"] == false);
  CHECK(merged.document["summary"]["up_to_date"] == 4);
  REQUIRE(merged.document["targets"].size() == 4);
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(merged.document["targets"][i]["target"] == "t" + std::to_string(i));
    CHECK_FALSE(merged.document["targets"][i].contains("position"));
  }
  CHECK(merged.outcome.results.size() == 4);

  const auto gap = shard_document("2/2", {{"t1", 1}, {"t2", 4}});
  CHECK(message_of([&] { merge_fleet_documents({{"a.json", one}, {"b.json", gap}}); }) ==
        "fleet-report: the shards listed different targets (none at position 2): run every shard on the same listing");
  auto resumed = two;
  resumed["resumed"] = {{"state", "s.json"}, {"skipped", 1}};
  CHECK(message_of([&] { merge_fleet_documents({{"a.json", one}, {"b.json", resumed}}); }) ==
        "fleet-report: b.json is of a --resume run, which covers only the targets it ran: merge complete runs");
  CHECK(message_of([&] { merge_fleet_documents({{"a.json", nlohmann::json::array()}}); }) ==
        "fleet-report: a.json is no fleet document (the --json output of a command run with --fleet)");
  auto other_split = shard_document("2/3", {{"t1", 1}});
  CHECK(message_of([&] { merge_fleet_documents({{"a.json", one}, {"b.json", other_split}}); }) ==
        "fleet-report: b.json is shard 2/3, a.json is shard 1/2: merge the shards of one split only");
}
