#include "cli/fleet_resume.hpp"

#include "core/error.hpp"
#include "host/text_file.hpp"
#include "output/fleet_state_json.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

namespace sonamu::cli {

namespace {

constexpr const char* what = "the fleet state file";

/// The command as a resume must repeat it: its name as the JSON document gives it, and every
/// option that changes what it does on a target.
std::string resumed_command(const Invocation& in) {
  const Options& options = in.options;
  std::string command = in.context.command;
  if (options.to) command += " --to " + *options.to;
  if (options.step) command += " --step " + std::to_string(*options.step);
  if (!options.name.empty()) command += " " + options.name;
  if (options.all && command.find(" --all") == std::string::npos) command += " --all";
  if (options.force || options.verify_in_production) command += " --force";
  if (options.check) command += " --check";
  if (options.limit != 20) command += " --limit " + std::to_string(options.limit);
  if (options.dry_run) command += " --dry-run";
  return command;
}

/// The fleet's name as part of a file name: letters, digits, `-`, `_` and `.` kept, others `_`.
std::string file_word(const std::string& name) {
  std::string word = name;
  for (char& c : word) {
    const bool kept = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.';
    if (!kept) c = '_';
  }
  return word;
}

/// `--state`, else sonamu.fleet-state.FLEET.COMMAND.json in the configuration file's folder:
/// one file per fleet and command, so that a `status` between a run and its resume leaves the
/// run's state alone.
std::string state_path(const Invocation& in) {
  if (in.options.state) return *in.options.state;
  const std::filesystem::path config(in.settings.config_path.value_or("sonamu.config.json"));
  const auto folder = config.has_parent_path() ? config.parent_path() : std::filesystem::path(".");
  return (folder / ("sonamu.fleet-state." + file_word(*in.options.fleet) + "." + in.options.command + ".json")).string();
}

}  // namespace

FleetResume prepare_resume(const Invocation& in, const std::vector<std::string>& names) {
  FleetResume resume;
  resume.path = state_path(in);
  FleetState& state = resume.state;
  state.command = resumed_command(in);
  state.fleet = *in.options.fleet;
  state.environment = in.settings.environment;
  state.shard = in.options.shard.value_or("");
  for (const auto& name : names) {
    TargetResult target;
    target.target = name;
    state.targets.push_back(target);
  }
  resume.to_run.assign(names.size(), true);
  if (!in.options.resume) return resume;
  // No file yet: nothing ran before, every target runs (the first run of a job that resumes).
  const auto text = read_text_file_if_any(resume.path, what);
  if (!text) return resume;
  const FleetState previous = parse_fleet_state(*text, resume.path);
  const auto skips = resume_skips(previous, state, resume.path);
  const std::set<std::string> skipped(skips.begin(), skips.end());
  std::map<std::string, const TargetResult*> before;
  for (const auto& target : previous.targets) before.emplace(target.target, &target);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (skipped.count(names[i]) == 0) continue;
    resume.to_run[i] = false;
    ++resume.skipped;
    // What ended well last time stays recorded so, for the resume after this one.
    state.targets[i] = *before.at(names[i]);
  }
  return resume;
}

FleetStateRecorder::FleetStateRecorder(FleetReporter& next, std::string path, FleetState state, bool required)
    : next_(next), path_(std::move(path)), state_(std::move(state)) {
  for (std::size_t i = 0; i < state_.targets.size(); ++i) index_.emplace(state_.targets[i].target, i);
  try {
    write_file_atomically(path_, fleet_state_text(state_));
  } catch (const Error& e) {
    if (required) throw;
    failure_ = e.what();
    return;
  }
  next_write_ = std::chrono::steady_clock::now();
  writer_ = std::thread([this] { write_while_running(); });
}

FleetStateRecorder::~FleetStateRecorder() { finish(); }

void FleetStateRecorder::fleet_started(std::size_t targets, unsigned parallel) { next_.fleet_started(targets, parallel); }

void FleetStateRecorder::target_started(const std::string& target) { next_.target_started(target); }

void FleetStateRecorder::target_finished(const TargetResult& result) {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    const auto found = index_.find(result.target);
    if (found != index_.end()) state_.targets[found->second] = result;
    dirty_ = true;
  }
  changed_.notify_one();
  next_.target_finished(result);
}

void FleetStateRecorder::fleet_stopped(const std::string& reason, const std::vector<std::string>& not_started) {
  next_.fleet_stopped(reason, not_started);
}

std::string FleetStateRecorder::finish() {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    stopping_ = true;
  }
  changed_.notify_one();
  if (writer_.joinable()) writer_.join();
  return failure_;
}

void FleetStateRecorder::write_while_running() {
  using clock = std::chrono::steady_clock;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return dirty_ || stopping_; });
    if (!dirty_ || !failure_.empty()) return;
    // Paced: after a write that took d, the next one waits until 9 d have passed (the last
    // one, at the end, never waits), so that a fleet of many short targets does not spend
    // its time rewriting the file. What ends meanwhile goes into that next write.
    changed_.wait_until(lock, next_write_, [this] { return stopping_; });
    const FleetState snapshot = state_;
    dirty_ = false;
    lock.unlock();
    const auto started = clock::now();
    std::string failed;
    try {
      write_file_atomically(path_, fleet_state_text(snapshot));
    } catch (const std::exception& e) {
      failed = e.what();
    }
    const auto took = clock::now() - started;
    lock.lock();
    failure_ = failed;
    next_write_ = clock::now() + std::min<clock::duration>(took * 9, std::chrono::seconds(2));
  }
}

}  // namespace sonamu::cli
