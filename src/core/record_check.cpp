#include "core/record_check.hpp"

#include "core/text.hpp"

#include <map>

namespace sonamu {

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
    if (rows.size() < 2) continue;
    std::vector<std::string> ids;
    for (const auto* row : rows) ids.push_back(std::to_string(row->id));
    duplicates.push_back(rows.front()->name + " (ids " + join(ids) + ")");
  }
  std::vector<std::string> problems;
  if (!duplicates.empty()) {
    // Rolling back one of two records would undo the migration while the other still says
    // it is applied.
    problems.push_back("The migration table records these migrations more than once: " + join(duplicates) +
                       "; `sonamu migrate forget NAME --yes` deletes the newest record of NAME");
  }
  if (!unnamed.empty()) {
    problems.push_back("The migration table has records without a name (ids " + join(unnamed) +
                       "); delete them by hand");
  }
  return join(problems, "; ");
}

}  // namespace sonamu
