#pragma once
/// The state file of a fleet run (`--resume`) as JSON: written whole after targets end, read
/// back by the next run.

#include "core/fleet_state.hpp"

#include <string>

namespace sonamu::cli {

/// The file's text: {"fleet_state": 1, command, fleet, environment, shard (or null),
/// targets: [{target, result, exit_code, error}]}.
std::string fleet_state_text(const FleetState& state);

/// The state a file's `text` holds. Throws sonamu::Error (usage) naming `path` when it is no
/// fleet state file of this version.
FleetState parse_fleet_state(const std::string& text, const std::string& path);

}  // namespace sonamu::cli
