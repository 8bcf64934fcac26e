#pragma once
/// A fleet's results as values: how each target ended, and the one exit code of them all.

#include "core/exit_code.hpp"

#include <string>
#include <vector>

namespace sonamu {

/// How one target of a fleet ended.
enum class TargetState {
  done,         ///< the command changed (or, read-only, read) the target and succeeded
  up_to_date,   ///< nothing to do there
  failed,       ///< the target's command failed; `exit_code` and `error` say how
  not_started,  ///< stopped before it: a failed canary, --fail-fast or a signal
};

/// One target's outcome.
struct TargetResult {
  std::string target;     ///< as the operator names it: host:port/database, or its schema
  TargetState state = TargetState::not_started;
  int exit_code = 0;      ///< as a single command on this target would have exited
  std::string migration;  ///< the migration that failed, if one did
  std::string error;      ///< one line, empty on success
};

/// A server whose parallelism was lowered, and why.
struct Throttle {
  std::string server;     ///< host:port
  unsigned parallel = 1;  ///< targets at once there, at the end of the run
  std::string reason;     ///< the server's words, e.g. "sorry, too many clients already"
};

/// The fleet's exit code: 0 only if every target succeeded; otherwise the most severe of
/// the targets' codes, in this order: a signal (130, 143) > 4 mismatch > 1 migration
/// failed > 5 locked > 3 connection > 2 usage. A target not started counts as its cause.
int fleet_exit_code(const std::vector<TargetResult>& results, int stop_code = 0);

/// The most severe of `codes` in the order of fleet_exit_code; 0 when all are 0 (or none).
int worst_exit_code(const std::vector<int>& codes);

/// "38 migrated, 1 already up to date, 1 failed, 2 not started" (zero counts left out);
/// `done_word` names what `done` means for the command ("migrated", "rolled back", ...).
std::string outcome_counts(const std::vector<TargetResult>& results, const std::string& done_word);

}  // namespace sonamu
