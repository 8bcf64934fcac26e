#include "output/fleet_versions_output.hpp"

#include "core/text.hpp"
#include "output/documents.hpp"

#include <algorithm>

namespace sonamu::cli {

namespace {

/// How many names a line of the text lists before "and N more": the JSON has them all.
constexpr std::size_t names_shown = 10;

std::string targets_word(std::size_t n) { return std::to_string(n) + (n == 1 ? " target" : " targets"); }

/// "Behind the newest (12): a, b, ... and 2 more", nothing when `names` is empty.
std::string names_line(const std::string& what, const std::vector<std::string>& names) {
  if (names.empty()) return {};
  std::vector<std::string> shown(names.begin(), names.begin() + std::min(names.size(), names_shown));
  std::string line = what + " (" + std::to_string(names.size()) + "): " + join(shown);
  if (names.size() > shown.size()) line += " and " + std::to_string(names.size() - shown.size()) + " more";
  return line + "\n";
}

std::vector<std::string> strings(const nlohmann::json& list) {
  std::vector<std::string> names;
  for (const auto& item : list) names.push_back(item.get<std::string>());
  return names;
}

}  // namespace

std::string last_applied(const StatusReport& status) {
  std::string newest;
  std::string newest_stem;
  for (const auto& group : status.executed) {
    for (const auto& migration : group.migrations) {
      if (newest.empty() || migration.stem > newest_stem) {
        newest = migration.name;
        newest_stem = migration.stem;
      }
    }
  }
  return newest;
}

std::vector<TargetVersion> target_versions(const std::vector<TargetReport>& reports) {
  std::vector<TargetVersion> targets;
  for (const auto& report : reports) {
    TargetVersion target;
    target.target = report.result.target;
    const StatusReport* status = report.value && report.value->status ? &*report.value->status : nullptr;
    target.read = status != nullptr;
    if (status != nullptr) {
      target.version = last_applied(*status);
      target.pending = status->pending;
      target.edited = status->edited;
    }
    targets.push_back(std::move(target));
  }
  return targets;
}

std::vector<TargetVersion> target_versions(const nlohmann::json& targets) {
  std::vector<TargetVersion> versions;
  for (const auto& item : targets) {
    TargetVersion target;
    target.target = item.at("target").get<std::string>();
    target.read = item.contains("version");
    if (target.read) {
      if (!item.at("version").is_null()) target.version = item.at("version").get<std::string>();
      target.pending = strings(item.at("pending"));
      target.edited = strings(item.at("edited"));
    }
    versions.push_back(std::move(target));
  }
  return versions;
}

std::string fleet_versions_text(const FleetVersions& versions) {
  std::size_t width = 0;
  const auto label = [](const VersionGroup& group) {
    return group.version.empty() ? std::string("(none applied)") : group.version;
  };
  for (const auto& group : versions.versions) width = std::max(width, label(group).size());
  std::string text = versions.versions.empty() ? "" : "Versions:\n";
  for (const auto& group : versions.versions) {
    const std::string count = targets_word(group.targets.size());
    text += "  " + label(group) + std::string(width - label(group).size() + 2, ' ') + count +
            std::string(count.size() < 12 ? 12 - count.size() : 1, ' ') + (group.newest ? "newest" : "behind") + "\n";
  }
  text += names_line("Behind the newest", versions.behind);
  text += names_line("With pending migrations", versions.pending);
  text += names_line("With migrations edited since applied", versions.edited);
  text += names_line("Status not read", versions.unread);
  return text;
}

nlohmann::json fleet_versions_json(const FleetVersions& versions) {
  nlohmann::json groups = nlohmann::json::array();
  for (const auto& group : versions.versions) {
    groups.push_back({{"version", text_or_null(group.version)},
                      {"targets", group.targets.size()},
                      {"newest", group.newest}});
  }
  return {{"newest", text_or_null(versions.newest)}, {"by_version", groups},   {"behind", versions.behind},
          {"pending", versions.pending},             {"edited", versions.edited}, {"unread", versions.unread}};
}

}  // namespace sonamu::cli
