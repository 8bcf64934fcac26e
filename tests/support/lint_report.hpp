#pragma once
/// Reading the lint report of `migrate lint --json` (or the "lint" member of a dry run's
/// document), for the e2e tests that compare its findings.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace sonamu::test {

/// "rule table" of every finding of migration `index`: those of its statements first, then its own.
inline std::vector<std::string> findings(const nlohmann::json& report, std::size_t index) {
  std::vector<std::string> found;
  const auto& migration = report["migrations"][index];
  for (const auto& statement : migration["statements"]) {
    for (const auto& finding : statement["findings"]) {
      found.push_back(finding["rule"].get<std::string>() + " " + finding["table"].get<std::string>());
    }
  }
  for (const auto& finding : migration["findings"]) {
    found.push_back(finding["rule"].get<std::string>() + " " + finding["table"].get<std::string>());
  }
  return found;
}

}  // namespace sonamu::test
