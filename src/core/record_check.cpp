#include "core/record_check.hpp"

#include "core/program_name.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <map>

namespace sonamu {

namespace {

/// "x.ts (ids 1, 3)"; records of one migration under different names (x.cpp and x.ts) are each
/// named as recorded: "x.cpp (id 1) and x.ts (id 3)".
std::string duplicate_text(const std::vector<const AppliedMigration*>& rows) {
  std::vector<std::pair<std::string, std::vector<std::string>>> by_name;
  for (const auto* row : rows) {
    auto it = std::find_if(by_name.begin(), by_name.end(), [&](const auto& entry) { return entry.first == row->name; });
    if (it == by_name.end()) it = by_name.insert(by_name.end(), {row->name, {}});
    it->second.push_back(std::to_string(row->id));
  }
  std::vector<std::string> parts;
  for (const auto& [name, ids] : by_name) {
    parts.push_back(name + (ids.size() == 1 ? " (id " : " (ids ") + join(ids) + ")");
  }
  return join(parts, " and ");
}

}  // namespace

std::string record_problems(const std::vector<AppliedMigration>& applied) {
  std::vector<std::string> unnamed;
  std::map<std::string, std::vector<const AppliedMigration*>> by_stem;
  for (const auto& row : applied) {
    if (row.stem.empty()) {
      unnamed.push_back(std::to_string(row.id));
    } else {
      by_stem[row.stem].push_back(&row);
    }
  }
  std::vector<std::string> duplicates;
  for (const auto& [stem, rows] : by_stem) {
    if (rows.size() >= 2) duplicates.push_back(duplicate_text(rows));
  }
  std::vector<std::string> problems;
  if (!duplicates.empty()) {
    // Rolling back one of two records would undo the migration while the other still says
    // it is applied.
    problems.push_back("The migration table records these migrations more than once: " + join(duplicates) +
                       "; `" + program_name() + " migrate forget NAME --yes` deletes the newest record of NAME");
  }
  if (!unnamed.empty()) {
    problems.push_back("The migration table has records without a name (ids " + join(unnamed) +
                       "); delete them by hand");
  }
  return join(problems, "; ");
}

}  // namespace sonamu
