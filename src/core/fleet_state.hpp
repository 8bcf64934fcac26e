#pragma once
/// What a fleet command recorded of its run, for `--resume`: which command on which targets,
/// and how each target ended. The next run with `--resume` skips the targets that ended well.

#include "core/fleet.hpp"

#include <string>
#include <vector>

namespace sonamu {

/// One fleet run as its state file records it.
struct FleetState {
  /// The command and the options that change what it does, as typed: "run", "rollback
  /// --step 2", "run --dry-run". A resume runs exactly that command again.
  std::string command;
  std::string fleet;
  std::string environment;
  std::string shard;                  ///< "K/N", empty for the whole fleet
  std::vector<TargetResult> targets;  ///< every target of the run, in order; not_started until it ends
};

/// Whether a target that ended so needs no second run: it succeeded (done or up to date).
bool ended_well(TargetState state);

/// The names of `now.targets` that `previous` recorded as ended well, for a resume of `now`.
/// Throws sonamu::Error (usage) naming `path` when `previous` is of another command, fleet,
/// environment, shard or list of targets: a resume would then skip what it should not.
std::vector<std::string> resume_skips(const FleetState& previous, const FleetState& now, const std::string& path);

}  // namespace sonamu
