#pragma once
/// What a fleet shows: the live line on a terminal while it runs, then the failures, the
/// outcome counts, `status --fleet`'s table, or one JSON document with a result per target.

#include "core/fleet.hpp"
#include "core/fleet_reporter.hpp"
#include "engine/command_result.hpp"
#include "engine/fleet_runner.hpp"
#include "output/format.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace sonamu::cli {

/// A target's outcome as the JSON documents name it: "done", "up_to_date", "failed", "not_started".
const char* state_name(TargetState state);

/// The outcome named `name` in a JSON document (status's "pending" is `done`); none for
/// another word.
std::optional<TargetState> state_named(const std::string& name);

/// The live progress line ("done / failed / running / left, elapsed") on `err`, redrawn at
/// every event and erased at the end; silent when `live` is false.
class FleetProgress final : public FleetReporter {
 public:
  FleetProgress(std::ostream& err, std::string fleet, bool live);

  void fleet_started(std::size_t targets, unsigned parallel) override;
  void target_started(const std::string& target) override;
  void target_finished(const TargetResult& result) override;
  void fleet_stopped(const std::string& reason, const std::vector<std::string>& not_started) override;

  /// Erases the line (idempotent).
  void finish();

 private:
  void draw();

  std::ostream& err_;
  std::string fleet_;
  bool live_;
  bool drawn_ = false;
  std::size_t total_ = 0, done_ = 0, failed_ = 0, running_ = 0;
  std::chrono::steady_clock::time_point started_;
};

/// "fleet tenants: 12 done, 1 failed, 4 running, 23 left, 3.2s".
std::string fleet_progress_line(const std::string& fleet, std::size_t done, std::size_t failed,
                                std::size_t running, std::size_t left, std::chrono::milliseconds elapsed);

/// Each failed target with its error as a single command prints it ("❌ Error running NAME" /
/// "   Error: ..."), prefixed by the target; then the targets not started and why.
std::string fleet_failures_text(const FleetOutcome& outcome, Direction direction, const Style& style);

/// `status --fleet`: one row per target (target, applied, pending, last batch).
std::string fleet_status_table(const std::vector<TargetReport>& reports);

/// `history --fleet`: each target's history under a "== target ==" heading.
std::string fleet_history_text(const std::vector<TargetReport>& reports, const Style& style);

/// One line per server that turned connections away, on which the fleet ran fewer targets at
/// once from then on: "Server h:5432 turned connections away (sorry, too many clients
/// already): at most 2 targets at once there". Empty when none did.
std::string fleet_throttles_text(const std::vector<Throttle>& throttles);

/// The `throttled` array of the JSON document: {server, parallel, reason} per such server.
nlohmann::json fleet_throttles_json(const std::vector<Throttle>& throttles);

/// The `targets` array of the JSON document: a result per target.
nlohmann::json fleet_targets_json(const std::vector<TargetReport>& reports, CommandResult::Kind kind);

}  // namespace sonamu::cli
