#include "core/duration.hpp"

#include <regex>

namespace sonamu {

namespace {

/// PostgreSQL keeps its timeouts in milliseconds, in an int.
constexpr double max_timeout_ms = 2147483647.0;

}  // namespace

std::string duration_problem(const std::string& text) {
  static const std::regex duration(R"(^\s*([0-9]+(\.[0-9]+)?)\s*(us|ms|s|min|h|d)?\s*$)");
  std::smatch parts;
  if (!std::regex_match(text, parts, duration)) return "expected a duration such as 500ms, 30s, 5min or 1h";
  const std::string unit = parts[3].str();
  const double factor = unit == "us" ? 0.001 : unit == "s" ? 1e3 : unit == "min" ? 6e4
                        : unit == "h" ? 3.6e6 : unit == "d" ? 8.64e7 : 1.0;  // none: ms, as the server
  if (std::stod(parts[1].str()) * factor > max_timeout_ms) {
    return "PostgreSQL accepts at most 2147483647ms (about 24 days)";
  }
  return {};
}

}  // namespace sonamu
