#include "output/fleet_state_json.hpp"

#include "core/error.hpp"
#include "output/documents.hpp"
#include "output/fleet_output.hpp"

#include <nlohmann/json.hpp>

namespace sonamu::cli {

namespace {

/// The version of the file's layout: a file of another one is refused, never misread.
constexpr int layout = 1;

TargetResult target_of(const nlohmann::json& item) {
  TargetResult result;
  result.target = item.at("target").get<std::string>();
  const auto state = state_named(item.at("result").get<std::string>());
  if (!state) throw std::invalid_argument("unknown result " + item.at("result").dump());
  result.state = *state;
  result.exit_code = item.at("exit_code").get<int>();
  if (!item.at("error").is_null()) result.error = item.at("error").get<std::string>();
  return result;
}

}  // namespace

std::string fleet_state_text(const FleetState& state) {
  nlohmann::json targets = nlohmann::json::array();
  for (const auto& target : state.targets) {
    targets.push_back({{"target", target.target},
                       {"result", state_name(target.state)},
                       {"exit_code", target.exit_code},
                       {"error", text_or_null(target.error)}});
  }
  const nlohmann::json document = {{"fleet_state", layout},
                                   {"command", state.command},
                                   {"fleet", state.fleet},
                                   {"environment", state.environment},
                                   {"shard", text_or_null(state.shard)},
                                   {"targets", targets}};
  // One target per line: readable, and small enough for fleets of many thousand targets.
  std::string text = "{\n";
  for (const auto& key : {"fleet_state", "command", "fleet", "environment", "shard"}) {
    text += "  \"" + std::string(key) + "\": " + document[key].dump() + ",\n";
  }
  text += "  \"targets\": [";
  for (std::size_t i = 0; i < targets.size(); ++i) text += (i == 0 ? "\n    " : ",\n    ") + targets[i].dump();
  text += targets.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return text;
}

FleetState parse_fleet_state(const std::string& text, const std::string& path) {
  try {
    const auto document = nlohmann::json::parse(text);
    if (!document.is_object() || document.value("fleet_state", 0) != layout) {
      throw std::invalid_argument("not a fleet state file of layout " + std::to_string(layout));
    }
    FleetState state;
    state.command = document.at("command").get<std::string>();
    state.fleet = document.at("fleet").get<std::string>();
    state.environment = document.at("environment").get<std::string>();
    if (!document.at("shard").is_null()) state.shard = document.at("shard").get<std::string>();
    for (const auto& item : document.at("targets")) state.targets.push_back(target_of(item));
    return state;
  } catch (const std::exception& e) {
    throw Error(ExitCode::usage, "--resume: " + path + " is no fleet state file this version wrote (" +
                                     std::string(e.what()).substr(0, 200) + ")");
  }
}

}  // namespace sonamu::cli
