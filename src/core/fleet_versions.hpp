#pragma once
/// `status --fleet`'s summary by version: how many targets stand at each last applied
/// migration, which are behind the newest, which have pending or edited migrations.

#include <string>
#include <vector>

namespace sonamu {

/// Where one target stands, as its status read it.
struct TargetVersion {
  std::string target;
  bool read = true;                  ///< false: its status could not be read (failed)
  std::string version;               ///< its newest applied migration (by name), as recorded; empty: none
  std::vector<std::string> pending;  ///< as status lists them
  std::vector<std::string> edited;   ///< applied, edited since
};

/// The targets at one version.
struct VersionGroup {
  std::string version;               ///< empty: no migration applied
  std::vector<std::string> targets;  ///< in the fleet's order
  bool newest = false;               ///< the newest migration known (below)
};

/// The fleet by version.
struct FleetVersions {
  /// The newest migration any target has applied or has pending: what every target is
  /// at once migrated (by name, ignoring the extension it was recorded with).
  std::string newest;
  std::vector<VersionGroup> versions;  ///< newest first; no migration applied last
  std::vector<std::string> behind;     ///< targets not at the newest (their status read)
  std::vector<std::string> pending;    ///< targets with pending migrations
  std::vector<std::string> edited;     ///< targets with migrations edited since applied
  std::vector<std::string> unread;     ///< targets whose status could not be read
};

/// The summary of `targets`, in their order.
FleetVersions fleet_versions(const std::vector<TargetVersion>& targets);

}  // namespace sonamu
