#include "core/fleet.hpp"

#include <algorithm>

namespace sonamu {

namespace {

/// Higher is more severe; 0 is success.
int severity(int code) {
  switch (code) {
    case 0: return 0;
    case static_cast<int>(ExitCode::usage): return 1;
    case static_cast<int>(ExitCode::connection): return 2;
    case static_cast<int>(ExitCode::locked): return 3;
    case static_cast<int>(ExitCode::migration_failed): return 4;
    case static_cast<int>(ExitCode::mismatch): return 5;
    default: return 6;  // killed by a signal: 128 + its number
  }
}

}  // namespace

int fleet_exit_code(const std::vector<TargetResult>& results, int stop_code) {
  int worst = stop_code;
  for (const auto& result : results) {
    if (severity(result.exit_code) > severity(worst)) worst = result.exit_code;
  }
  return worst;
}

int worst_exit_code(const std::vector<int>& codes) {
  int worst = 0;
  for (const int code : codes) {
    if (severity(code) > severity(worst)) worst = code;
  }
  return worst;
}

std::string outcome_counts(const std::vector<TargetResult>& results, const std::string& done_word) {
  const auto count = [&](TargetState state) {
    return std::count_if(results.begin(), results.end(), [&](const TargetResult& r) { return r.state == state; });
  };
  std::string text;
  const auto add = [&](long n, const std::string& what) {
    if (n == 0) return;
    if (!text.empty()) text += ", ";
    text += std::to_string(n) + " " + what;
  };
  add(count(TargetState::done), done_word);
  add(count(TargetState::up_to_date), "already up to date");
  add(count(TargetState::failed), "failed");
  add(count(TargetState::not_started), "not started");
  return text.empty() ? "no target" : text;
}

}  // namespace sonamu
