#pragma once
/// A fleet run's state file: which command ran on which targets and how each ended, written
/// as targets end; `--resume` reads it to run only what failed or did not start.

#include "cli/invocation.hpp"
#include "core/fleet_reporter.hpp"
#include "core/fleet_state.hpp"

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace sonamu::cli {

/// The state file of this run and what `--resume` takes from the last one.
struct FleetResume {
  std::string path;
  FleetState state;           ///< this run's targets, those skipped keeping their outcome
  std::size_t skipped = 0;    ///< targets that ended well last time, not run again
  std::vector<bool> to_run;   ///< per target of the listing given: run it this time
};

/// The state file of this run (`--state`, else one beside the configuration file per fleet
/// and command) and, with `--resume`, which of `names` ended well in the last run of the same
/// command. Throws sonamu::Error (usage) when that run was of another command or target list.
FleetResume prepare_resume(const Invocation& in, const std::vector<std::string>& names);

/// Keeps the state file up to date while the fleet runs, in front of the reporter that shows
/// it: written whole (atomically) before the first target starts and after targets end, on a
/// thread of its own, paced so that writing costs at most a tenth of the run.
class FleetStateRecorder final : public FleetReporter {
 public:
  /// Writes the file's first version now. When it cannot be written, the error is thrown if
  /// the file is `required` (before any target starts), else finish() says it.
  FleetStateRecorder(FleetReporter& next, std::string path, FleetState state, bool required);
  ~FleetStateRecorder() override;
  FleetStateRecorder(const FleetStateRecorder&) = delete;
  FleetStateRecorder& operator=(const FleetStateRecorder&) = delete;

  void fleet_started(std::size_t targets, unsigned parallel) override;
  void target_started(const std::string& target) override;
  void target_finished(const TargetResult& result) override;
  void fleet_stopped(const std::string& reason, const std::vector<std::string>& not_started) override;

  /// Writes what is not written yet and stops the writer. Returns why a write failed, if one
  /// did (the targets' outcomes stand; only the file is behind or missing).
  std::string finish();

 private:
  void write_while_running();

  FleetReporter& next_;
  std::string path_;
  FleetState state_;
  std::unordered_map<std::string, std::size_t> index_;  ///< of state_.targets, by name
  std::mutex mutex_;
  std::condition_variable changed_;
  bool dirty_ = false;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point next_write_;
  std::string failure_;
  std::thread writer_;
};

}  // namespace sonamu::cli
