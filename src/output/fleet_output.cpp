#include "output/fleet_output.hpp"

#include "core/text.hpp"
#include "output/documents.hpp"
#include "output/fleet_versions_output.hpp"
#include "output/migration_json.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <sstream>

namespace sonamu::cli {

namespace {

/// The highest batch recorded, 0 for none.
int last_batch(const StatusReport& status) {
  int batch = 0;
  for (const auto& group : status.executed) batch = std::max(batch, group.batch);
  return batch;
}

std::size_t applied_count(const StatusReport& status) {
  std::size_t count = 0;
  for (const auto& group : status.executed) count += group.migrations.size();
  return count;
}

}  // namespace

const char* state_name(TargetState state) {
  switch (state) {
    case TargetState::done: return "done";
    case TargetState::up_to_date: return "up_to_date";
    case TargetState::failed: return "failed";
    case TargetState::not_started: return "not_started";
  }
  return "not_started";
}

std::optional<TargetState> state_named(const std::string& name) {
  for (const auto state : {TargetState::done, TargetState::up_to_date, TargetState::failed, TargetState::not_started}) {
    if (name == state_name(state)) return state;
  }
  // status names a target that has work to do "pending": done, for its outcome.
  if (name == "pending") return TargetState::done;
  return std::nullopt;
}

FleetProgress::FleetProgress(std::ostream& err, std::string fleet, bool live)
    : err_(err), fleet_(std::move(fleet)), live_(live) {}

void FleetProgress::fleet_started(std::size_t targets, unsigned) {
  total_ = targets;
  started_ = std::chrono::steady_clock::now();
  draw();
}

void FleetProgress::target_started(const std::string&) {
  ++running_;
  draw();
}

void FleetProgress::target_finished(const TargetResult& result) {
  --running_;
  ++(result.state == TargetState::failed ? failed_ : done_);
  draw();
}

void FleetProgress::fleet_stopped(const std::string&, const std::vector<std::string>&) { finish(); }

void FleetProgress::finish() {
  if (!drawn_) return;
  err_ << "\r\033[K" << std::flush;
  drawn_ = false;
}

void FleetProgress::draw() {
  if (!live_) return;
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_);
  const std::size_t left = total_ - done_ - failed_ - running_;
  err_ << "\r\033[K" << fleet_progress_line(fleet_, done_, failed_, running_, left, elapsed) << std::flush;
  drawn_ = true;
}

std::string fleet_progress_line(const std::string& fleet, std::size_t done, std::size_t failed,
                                std::size_t running, std::size_t left, std::chrono::milliseconds elapsed) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1fs", static_cast<double>(elapsed.count()) / 1000.0);
  return "fleet " + fleet + ": " + std::to_string(done) + " done, " + std::to_string(failed) + " failed, " +
         std::to_string(running) + " running, " + std::to_string(left) + " left, " + seconds;
}

std::string fleet_failures_text(const FleetOutcome& outcome, Direction direction, const Style& style) {
  std::string text;
  std::vector<std::string> not_started;
  for (const auto& result : outcome.results) {
    if (result.state == TargetState::not_started) not_started.push_back(result.target);
    if (result.state != TargetState::failed) continue;
    if (!result.migration.empty()) {
      text += result.target + ": " + failed_line(direction, result.migration, style) + "\n   Error: " +
              result.error + "\n";
    } else {
      text += result.target + ": " + error_mark(style) + " " + result.error + "\n";
    }
  }
  if (!outcome.stopped.empty()) {
    text += "Stopped (" + outcome.stopped + "): " +
            (not_started.empty() ? std::string("every target had started") : "not started: " + join(not_started)) +
            "\n";
  }
  return text;
}

std::string fleet_status_table(const std::vector<TargetReport>& reports) {
  std::vector<std::vector<std::string>> rows = {{"target", "applied", "pending", "last batch"}};
  for (const auto& report : reports) {
    if (report.value && report.value->status) {
      const StatusReport& status = *report.value->status;
      const int batch = last_batch(status);
      rows.push_back({report.result.target, std::to_string(applied_count(status)),
                      std::to_string(status.pending.size()), batch == 0 ? "-" : std::to_string(batch)});
    } else {
      rows.push_back({report.result.target, "?", "?", "?"});
    }
  }
  std::vector<std::size_t> widths(4, 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::ostringstream out;
  for (const auto& row : rows) {
    std::string line = row[0] + std::string(widths[0] - row[0].size(), ' ');
    for (std::size_t i = 1; i < row.size(); ++i) {
      line += "  " + std::string(widths[i] - row[i].size(), ' ') + row[i];
    }
    out << line << '\n';
  }
  return out.str();
}

std::string fleet_history_text(const std::vector<TargetReport>& reports, const Style& style) {
  std::string text;
  for (const auto& report : reports) {
    if (report.result.state == TargetState::failed || report.result.state == TargetState::not_started) continue;
    if (report.value && report.value->history) {
      text += "== " + report.result.target + " ==\n" + history_text(*report.value->history, style);
    }
  }
  return text;
}

nlohmann::json fleet_targets_json(const std::vector<TargetReport>& reports, CommandResult::Kind kind) {
  nlohmann::json targets = nlohmann::json::array();
  for (const auto& report : reports) {
    const TargetResult& result = report.result;
    nlohmann::json item = {{"target", result.target},
                           {"result", kind == CommandResult::Kind::status && result.state == TargetState::done
                                          ? "pending"
                                          : state_name(result.state)},
                           {"exit_code", result.state == TargetState::not_started ? nlohmann::json(nullptr)
                                                                                   : nlohmann::json(result.exit_code)}};
    if (result.state == TargetState::failed) {
      item["error"] = {{"migration", text_or_null(result.migration)}, {"message", result.error}};
    } else {
      item["error"] = nullptr;
    }
    const CommandResult* value = report.value ? &*report.value : nullptr;
    switch (kind) {
      case CommandResult::Kind::status:
        if (value != nullptr && value->status) {
          const int batch = last_batch(*value->status);
          item["applied"] = applied_count(*value->status);
          item["pending"] = value->status->pending;
          item["last_batch"] = batch == 0 ? nlohmann::json(nullptr) : nlohmann::json(batch);
          item["version"] = text_or_null(last_applied(*value->status));
          item["edited"] = value->status->edited;
        }
        break;
      case CommandResult::Kind::history:
        item["history"] = value != nullptr && value->history ? history_json(*value->history) : nlohmann::json::array();
        break;
      case CommandResult::Kind::migrate:
        item["batches"] = value != nullptr && value->migration ? batches_json(*value->migration) : nlohmann::json::array();
        break;
      case CommandResult::Kind::verify: break;
    }
    targets.push_back(item);
  }
  return targets;
}

std::string fleet_throttles_text(const std::vector<Throttle>& throttles) {
  std::string text;
  for (const auto& throttle : throttles) {
    text += "Server " + throttle.server + " turned connections away (" + throttle.reason + "): at most " +
            std::to_string(throttle.parallel) + (throttle.parallel == 1 ? " target" : " targets") +
            " at once there\n";
  }
  return text;
}

nlohmann::json fleet_throttles_json(const std::vector<Throttle>& throttles) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& throttle : throttles) {
    list.push_back({{"server", throttle.server}, {"parallel", throttle.parallel}, {"reason", throttle.reason}});
  }
  return list;
}

}  // namespace sonamu::cli
