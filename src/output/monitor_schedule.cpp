#include "output/monitor_schedule.hpp"

#include <algorithm>
#include <regex>

namespace sonamu::cli {

using std::chrono::milliseconds;

std::optional<milliseconds> limit_duration(const std::optional<std::string>& value) {
  if (!value) return std::nullopt;
  // The forms the settings accept (see require_duration); a bare number is milliseconds.
  static const std::regex duration(R"(^\s*([0-9]+(?:\.[0-9]+)?)\s*(us|ms|s|min|h|d)?\s*$)");
  std::smatch match;
  if (!std::regex_match(*value, match, duration)) return std::nullopt;
  const double number = std::stod(match[1].str());
  const std::string unit = match[2].str();
  const double per_unit = unit == "us" ? 0.001 : unit == "s" ? 1000.0 : unit == "min" ? 60000.0
                          : unit == "h" ? 3600000.0 : unit == "d" ? 86400000.0 : 1.0;
  const double ms = number * per_unit;
  if (ms <= 0) return std::nullopt;
  // Below a millisecond PostgreSQL rounds up to one; past a year the limit changes nothing here.
  return milliseconds(static_cast<long long>(std::clamp(ms, 1.0, 365.0 * 86400000.0)));
}

milliseconds first_look_after(milliseconds usual, std::optional<milliseconds> lock_timeout,
                              std::optional<milliseconds> statement_timeout) {
  milliseconds first = usual;
  for (const auto& limit : {lock_timeout, statement_timeout}) {
    if (limit) first = std::min(first, *limit / 4);
  }
  return std::max(first, MonitorSchedule::shortest);
}

void MonitorSchedule::statement_started(MonitorClock::time_point start) {
  pause_ = first_pause;
  next_ = start + first_look_;
}

bool MonitorSchedule::looked(MonitorClock::time_point now, bool waiting) {
  if (waiting) {
    // A wait can end any moment, and a long one is logged as it goes on: look often.
    pause_ = first_pause;
    next_ = now + while_waiting;
    return true;
  }
  next_ = now + pause_;
  pause_ = std::min(pause_ * 2, longest_pause);
  return false;
}

}  // namespace sonamu::cli
