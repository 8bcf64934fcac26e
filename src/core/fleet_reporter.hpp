#pragma once
/// How a fleet's progress leaves the runner: it never prints, it tells a FleetReporter. Calls
/// come from worker threads, one at a time (the runner serialises them).

#include "core/fleet.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace sonamu {

class FleetReporter {
 public:
  virtual ~FleetReporter() = default;

  /// The fleet is about to start `targets` targets, at most `parallel` at once.
  virtual void fleet_started(std::size_t targets, unsigned parallel) = 0;
  /// A target is about to be connected to.
  virtual void target_started(const std::string& target) = 0;
  /// A target ended (its connection is closed).
  virtual void target_finished(const TargetResult& result) = 0;
  /// No further target starts: `reason` says why; `not_started` are left as they were.
  virtual void fleet_stopped(const std::string& reason, const std::vector<std::string>& not_started) = 0;
};

}  // namespace sonamu
