#include "output/fleet_report.hpp"

#include "core/error.hpp"
#include "core/fleet.hpp"
#include "core/fleet_shard.hpp"
#include "core/fleet_versions.hpp"
#include "core/text.hpp"
#include "output/fleet_output.hpp"
#include "output/fleet_versions_output.hpp"

#include <algorithm>
#include <map>

namespace sonamu::cli {

namespace {

[[noreturn]] void refuse(const std::string& message) { throw Error(ExitCode::usage, "fleet-report: " + message); }

std::string spelled(const FleetShard& shard) { return std::to_string(shard.index) + "/" + std::to_string(shard.count); }

/// "`run` on fleet tenants (development)": what a document is of, to name a mix.
std::string described(const nlohmann::json& document) {
  const bool dry_run = document.value("dry_run", false);
  return "`" + document.value("command", std::string("?")) + (dry_run ? " --dry-run" : "") + "` on fleet " +
         document.value("fleet", std::string("?")) + " (" + document.value("environment", std::string("?")) + ")";
}

/// The shard a fleet document is of (1/1 for a whole fleet); refuses anything else.
FleetShard shard_of(const ShardDocument& shard) {
  const nlohmann::json& document = shard.document;
  const bool fleet = document.is_object() && document.contains("fleet") && document.contains("command") &&
                     document.contains("targets") && document["targets"].is_array() && document.contains("summary");
  if (!fleet) refuse(shard.path + " is no fleet document (the --json output of a command run with --fleet)");
  if (document.contains("resumed") && !document["resumed"].is_null()) {
    refuse(shard.path + " is of a --resume run, which covers only the targets it ran: merge complete runs");
  }
  if (!document.contains("shard") || document["shard"].is_null()) return {1, 1};
  try {
    return parse_fleet_shard(document["shard"].get<std::string>());
  } catch (const std::exception&) {
    refuse(shard.path + " names its shard " + document["shard"].dump() + ", not K/N");
  }
}

/// The document of each shard, by K (from 1): each of 1..N once, from documents of one command.
std::vector<const ShardDocument*> shards_in_order(const std::vector<ShardDocument>& shards) {
  const ShardDocument& first = shards.front();
  const FleetShard split = shard_of(first);
  std::vector<const ShardDocument*> by_index(split.count + 1, nullptr);
  for (const auto& shard : shards) {
    const FleetShard which = shard_of(shard);
    if (described(shard.document) != described(first.document)) {
      refuse(shard.path + " is " + described(shard.document) + ", " + first.path + " is " +
             described(first.document) + ": merge the shards of one command only");
    }
    if (which.count != split.count) {
      refuse(shard.path + " is shard " + spelled(which) + ", " + first.path + " is shard " + spelled(split) +
             ": merge the shards of one split only");
    }
    if (by_index[which.index] != nullptr) {
      refuse("shard " + spelled(which) + " is given twice: " + by_index[which.index]->path + " and " + shard.path);
    }
    by_index[which.index] = &shard;
  }
  std::vector<std::string> missing;
  for (std::size_t k = 1; k <= split.count; ++k) {
    if (by_index[k] == nullptr) missing.push_back(spelled({k, split.count}));
  }
  if (!missing.empty()) {
    refuse((missing.size() == 1 ? "shard " + missing.front() + " is missing" : "shards " + join(missing) + " are missing") +
           ": every shard of the split is needed");
  }
  by_index.erase(by_index.begin());
  return by_index;
}

/// Every target of the shards, in the fleet's order (their `position`), each once.
nlohmann::json targets_in_order(const std::vector<const ShardDocument*>& shards) {
  std::map<std::size_t, nlohmann::json> by_position;
  std::map<std::string, std::string> file_of;
  for (const ShardDocument* shard : shards) {
    std::size_t place = 0;
    for (nlohmann::json target : shard->document["targets"]) {
      const std::string name = target.value("target", std::string());
      const auto [seen, fresh] = file_of.emplace(name, shard->path);
      if (!fresh) refuse("the target " + name + " is in both " + seen->second + " and " + shard->path);
      // A whole fleet's document lists its targets in order; a shard's says where each stands.
      const bool whole = shards.size() == 1 && !target.contains("position");
      if (!whole && !target.contains("position")) refuse(shard->path + " gives no position for the target " + name);
      const std::size_t position = whole ? place : target["position"].get<std::size_t>();
      target.erase("position");
      by_position.emplace(position, std::move(target));
      ++place;
    }
  }
  nlohmann::json targets = nlohmann::json::array();
  for (auto& [position, target] : by_position) {
    if (position != targets.size()) {
      refuse("the shards listed different targets (none at position " + std::to_string(targets.size()) +
             "): run every shard on the same listing");
    }
    targets.push_back(std::move(target));
  }
  return targets;
}

/// Adds a server that turned connections away to `servers`: once, at the fewest targets at
/// once any shard ended with there, as one run over the whole fleet would say it.
void throttle(std::map<std::string, nlohmann::json>& servers, const nlohmann::json& item) {
  const std::string server = item.value("server", std::string());
  const auto [found, fresh] = servers.emplace(server, item);
  if (!fresh && item.value("parallel", 0) < found->second.value("parallel", 0)) found->second = item;
}

}  // namespace

MergedFleet merge_fleet_documents(const std::vector<ShardDocument>& shards) {
  if (shards.empty()) refuse("no document to merge");
  const auto ordered = shards_in_order(shards);
  MergedFleet merged;
  merged.document = ordered.front()->document;
  nlohmann::json& document = merged.document;
  merged.command = document["command"].get<std::string>();
  document["targets"] = targets_in_order(ordered);
  document["shard"] = nullptr;
  std::vector<int> codes;
  std::vector<std::string> stopped;
  std::map<std::string, nlohmann::json> throttled;
  for (const auto& key : {"done", "up_to_date", "failed", "not_started"}) document["summary"][key] = 0;
  for (const ShardDocument* shard : ordered) {
    const nlohmann::json& part = shard->document;
    codes.push_back(part.value("exit_code", 0));
    for (const auto& key : {"done", "up_to_date", "failed", "not_started"}) {
      document["summary"][key] = document["summary"][key].get<long>() + part["summary"].value(key, 0L);
    }
    if (part.contains("stopped") && part["stopped"].is_string()) {
      const std::string why = part["stopped"].get<std::string>();
      const nlohmann::json shard = part.value("shard", nlohmann::json());
      stopped.push_back(shard.is_string() ? "shard " + shard.get<std::string>() + ": " + why : why);
    }
    for (const auto& item : part.value("throttled", nlohmann::json::array())) throttle(throttled, item);
  }
  merged.exit_code = worst_exit_code(codes);
  document["exit_code"] = merged.exit_code;
  document["ok"] = merged.exit_code == 0;
  document["stopped"] = stopped.empty() ? nlohmann::json(nullptr) : nlohmann::json(join(stopped, "; "));
  merged.outcome.stopped = join(stopped, "; ");
  document["throttled"] = nlohmann::json::array();
  for (auto& [server, item] : throttled) document["throttled"].push_back(std::move(item));
  nlohmann::json not_started = nlohmann::json::array();
  for (const auto& target : document["targets"]) {
    TargetResult result;
    result.target = target.value("target", std::string());
    result.state = state_named(target.value("result", std::string())).value_or(TargetState::failed);
    const nlohmann::json code = target.value("exit_code", nlohmann::json());
    result.exit_code = code.is_number() ? code.get<int>() : 0;
    const nlohmann::json error = target.value("error", nlohmann::json());
    if (error.is_object()) {
      const nlohmann::json migration = error.value("migration", nlohmann::json());
      result.migration = migration.is_string() ? migration.get<std::string>() : "";
      result.error = error.value("message", std::string());
    }
    if (result.state == TargetState::not_started) not_started.push_back(result.target);
    merged.outcome.results.push_back(std::move(result));
  }
  document["not_started"] = not_started;
  if (document.contains("versions")) {
    document["versions"] = fleet_versions_json(fleet_versions(target_versions(document["targets"])));
  }
  return merged;
}

}  // namespace sonamu::cli
