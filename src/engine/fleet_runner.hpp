#pragma once
/// Runs one command on every target of a fleet: the canaries one after another first, then
/// the rest on a bounded pool of worker threads. Knows no driver: each target is run by a
/// callback that connects, builds that target's Migrator and calls its public entry point,
/// all on the worker thread, so nothing of one target is shared with another.

#include "core/fleet.hpp"
#include "core/fleet_reporter.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace sonamu {

/// How the fleet is run.
struct FleetPlan {
  unsigned parallel = 4;   ///< targets at once (each holds one connection)
  std::size_t canary = 0;  ///< the first K targets run alone, in order; a failure stops the fleet
  bool fail_fast = false;  ///< the first failure stops new targets from starting
};

/// What the fleet did: one result per target, in the targets' order, and why it stopped
/// early, if it did.
struct FleetOutcome {
  std::vector<TargetResult> results;
  std::string stopped;  ///< empty: every target was started
  int stop_code = 0;    ///< 128 + the signal when a signal stopped it
};

/// Runs `run_one(i)` for every target `names[i]`. `run_one` must not throw (a target's
/// failure is its result); it runs on a worker thread, at most `plan.parallel` at once. A
/// signal recorded by request_interrupt() stops new targets from starting; the running ones
/// see it themselves and roll back.
FleetOutcome run_fleet(const std::vector<std::string>& names, const FleetPlan& plan,
                       const std::function<TargetResult(std::size_t index)>& run_one, FleetReporter& reporter);

}  // namespace sonamu
