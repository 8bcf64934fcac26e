#include "core/fleet_state.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <set>

namespace sonamu {

namespace {

std::set<std::string> names_of(const FleetState& state) {
  std::set<std::string> names;
  for (const auto& target : state.targets) names.insert(target.target);
  return names;
}

/// "3 not listed before (a, b, c), 1 no longer listed (d)": what differs between the lists,
/// at most a few names of each side.
std::string list_difference(const std::set<std::string>& before, const std::set<std::string>& now) {
  const auto side = [](const std::set<std::string>& from, const std::set<std::string>& without, const char* what) {
    std::vector<std::string> names;
    std::size_t count = 0;
    for (const auto& name : from) {
      if (without.count(name) != 0) continue;
      if (++count <= 3) names.push_back(name);
    }
    if (count == 0) return std::string();
    if (count > names.size()) names.push_back("...");
    return std::to_string(count) + " " + what + " (" + join(names) + ")";
  };
  std::vector<std::string> parts;
  for (auto part : {side(now, before, "not listed then"), side(before, now, "no longer listed")}) {
    if (!part.empty()) parts.push_back(part);
  }
  return join(parts);
}

/// What differs between the run recorded and the one asked for, empty when they are the same.
std::string difference(const FleetState& previous, const FleetState& now) {
  const auto quoted = [](const std::string& text) { return "`" + text + "`"; };
  if (previous.command != now.command) return "records " + quoted(previous.command) + ", not " + quoted(now.command);
  if (previous.fleet != now.fleet) return "records fleet " + previous.fleet + ", not " + now.fleet;
  if (previous.environment != now.environment) {
    return "records the environment " + previous.environment + ", not " + now.environment;
  }
  if (previous.shard != now.shard) {
    const auto shard = [](const std::string& text) { return text.empty() ? std::string("the whole fleet") : "shard " + text; };
    return "records " + shard(previous.shard) + ", not " + shard(now.shard);
  }
  const auto before = names_of(previous);
  const auto listed = names_of(now);
  if (before != listed) return "records other targets than the fleet lists now: " + list_difference(before, listed);
  return {};
}

}  // namespace

bool ended_well(TargetState state) { return state == TargetState::done || state == TargetState::up_to_date; }

std::vector<std::string> resume_skips(const FleetState& previous, const FleetState& now, const std::string& path) {
  const std::string differs = difference(previous, now);
  if (!differs.empty()) {
    throw Error(ExitCode::usage, "--resume: the state file " + path + " " + differs +
                                     "; run without --resume to start afresh (the file is then replaced)");
  }
  std::set<std::string> well;
  for (const auto& target : previous.targets) {
    if (ended_well(target.state)) well.insert(target.target);
  }
  std::vector<std::string> skips;
  for (const auto& target : now.targets) {
    if (well.count(target.target) != 0) skips.push_back(target.target);
  }
  return skips;
}

}  // namespace sonamu
