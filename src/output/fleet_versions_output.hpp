#pragma once
/// `status --fleet`'s summary by version, as text after the table and as the JSON document's
/// `versions` object, from the targets' status values (or, merging shards, their JSON).

#include "core/fleet_versions.hpp"
#include "engine/command_result.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace sonamu::cli {

/// The newest migration `status` found applied (by name, ignoring the extension it was
/// recorded with), as recorded; empty when none is.
std::string last_applied(const StatusReport& status);

/// Where each target of a `status --fleet` stands, from what its status returned.
std::vector<TargetVersion> target_versions(const std::vector<TargetReport>& reports);

/// The same from the `targets` array of a `status --fleet --json` document.
std::vector<TargetVersion> target_versions(const nlohmann::json& targets);

/// "Versions:", one line per version (how many targets, newest or behind), then the targets
/// behind, with pending and with edited migrations (at most 10 names a line).
std::string fleet_versions_text(const FleetVersions& versions);

/// {newest, by_version: [{version, targets, newest}], behind, pending, edited, unread}.
nlohmann::json fleet_versions_json(const FleetVersions& versions);

}  // namespace sonamu::cli
