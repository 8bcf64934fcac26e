#include "core/fleet_versions.hpp"

#include "core/migration_name.hpp"

#include <algorithm>
#include <map>

namespace sonamu {

namespace {

/// Newer first by stem; no migration applied (empty) last.
bool newer(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return !a.empty() && b.empty();
  return migration_stem(a) > migration_stem(b);
}

}  // namespace

FleetVersions fleet_versions(const std::vector<TargetVersion>& targets) {
  FleetVersions summary;
  std::string newest_stem;
  for (const auto& target : targets) {
    if (!target.read) continue;
    if (!target.version.empty() && migration_stem(target.version) > newest_stem) {
      newest_stem = migration_stem(target.version);
      summary.newest = target.version;
    }
    for (const auto& name : target.pending) {
      if (migration_stem(name) > newest_stem) {
        newest_stem = migration_stem(name);
        summary.newest = name;
      }
    }
  }
  // Grouped by stem: a migration recorded as `.js` by knex and as `.cpp` here is one version.
  std::map<std::string, std::size_t> group_of;
  for (const auto& target : targets) {
    if (!target.read) {
      summary.unread.push_back(target.target);
      continue;
    }
    const std::string stem = target.version.empty() ? std::string() : migration_stem(target.version);
    auto found = group_of.find(stem);
    if (found == group_of.end()) {
      found = group_of.emplace(stem, summary.versions.size()).first;
      summary.versions.push_back({target.version, {}, stem == newest_stem});
    }
    summary.versions[found->second].targets.push_back(target.target);
    if (stem != newest_stem) summary.behind.push_back(target.target);
    if (!target.pending.empty()) summary.pending.push_back(target.target);
    if (!target.edited.empty()) summary.edited.push_back(target.target);
  }
  std::stable_sort(summary.versions.begin(), summary.versions.end(),
                   [](const VersionGroup& a, const VersionGroup& b) { return newer(a.version, b.version); });
  return summary;
}

}  // namespace sonamu
