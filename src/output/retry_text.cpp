#include "output/retry_text.hpp"

#include "output/progress_text.hpp"

#include <fmt/format.h>

namespace sonamu::cli {

std::vector<std::string> retry_lines(const std::string& name, const LockRetry& retry,
                                     const std::optional<LockWait>& wait, const Style& style) {
  // A measurement of the data at risk changes nothing: it is not said to roll anything back.
  const std::string subject = retry.measuring ? "Measuring the data at risk of " + name : name;
  std::vector<std::string> lines{fmt::format("{} {}: attempt {} of {} failed: {}", style.emoji ? "↻" : "-", subject,
                                             retry.attempt, retry.attempts, one_line(retry.message))};
  if (wait) {
    for (auto& line : blocked_failure_lines(*wait)) lines.push_back(std::move(line));
  }
  lines.push_back((retry.measuring ? "   Nothing changed; measuring again in " : "   Rolled back; trying again in ") +
                  seconds_text(retry.delay));
  return lines;
}

}  // namespace sonamu::cli
