#include "engine/fleet_runner.hpp"

#include "core/interrupt.hpp"

#include <algorithm>
#include <csignal>
#include <mutex>
#include <thread>

namespace sonamu {

namespace {

/// The state the workers share: which target is next, whether to stop, and the reporter.
class Dispatcher {
 public:
  Dispatcher(const std::vector<std::string>& names, const FleetPlan& plan,
             const std::function<TargetResult(std::size_t)>& run_one, FleetReporter& reporter)
      : names_(names), plan_(plan), run_one_(run_one), reporter_(reporter) {
    outcome_.results.resize(names.size());
    for (std::size_t i = 0; i < names.size(); ++i) outcome_.results[i].target = names[i];
  }

  /// Runs target `index` on this thread and records its result. Returns whether it failed.
  bool run(std::size_t index) {
    {
      std::lock_guard<std::mutex> guard(mutex_);
      reporter_.target_started(names_[index]);
    }
    TargetResult result = run_one_(index);
    result.target = names_[index];
    std::lock_guard<std::mutex> guard(mutex_);
    outcome_.results[index] = result;
    reporter_.target_finished(result);
    return result.state == TargetState::failed;
  }

  /// The next target a worker may start, or none once every target started or the fleet stops.
  bool claim(std::size_t& index) {
    std::lock_guard<std::mutex> guard(mutex_);
    check_signal();
    if (!outcome_.stopped.empty() || next_ >= names_.size()) return false;
    index = next_++;
    return true;
  }

  void stop(const std::string& reason) {
    std::lock_guard<std::mutex> guard(mutex_);
    if (outcome_.stopped.empty()) outcome_.stopped = reason;
  }

  void worker() {
    std::size_t index = 0;
    while (claim(index)) {
      if (run(index) && plan_.fail_fast) stop("--fail-fast: " + names_[index] + " failed");
    }
  }

  std::size_t next() {
    std::lock_guard<std::mutex> guard(mutex_);
    return next_;
  }

  FleetOutcome finish() {
    check_signal();
    std::vector<std::string> not_started;
    for (std::size_t i = next_; i < names_.size(); ++i) not_started.push_back(names_[i]);
    if (!outcome_.stopped.empty()) reporter_.fleet_stopped(outcome_.stopped, not_started);
    return std::move(outcome_);
  }

  bool stopped() {
    std::lock_guard<std::mutex> guard(mutex_);
    check_signal();
    return !outcome_.stopped.empty();
  }

 private:
  void check_signal() {
    const int signal_number = interrupt_signal();
    if (signal_number == 0 || outcome_.stop_code != 0) return;
    outcome_.stop_code = 128 + signal_number;
    if (outcome_.stopped.empty()) {
      outcome_.stopped = std::string("interrupted by ") + (signal_number == SIGINT ? "SIGINT" : "SIGTERM");
    }
  }

  const std::vector<std::string>& names_;
  const FleetPlan& plan_;
  const std::function<TargetResult(std::size_t)>& run_one_;
  FleetReporter& reporter_;
  std::mutex mutex_;
  std::size_t next_ = 0;
  FleetOutcome outcome_;
};

}  // namespace

FleetOutcome run_fleet(const std::vector<std::string>& names, const FleetPlan& plan,
                       const std::function<TargetResult(std::size_t index)>& run_one, FleetReporter& reporter) {
  Dispatcher dispatcher(names, plan, run_one, reporter);
  reporter.fleet_started(names.size(), plan.parallel);
  const std::size_t canaries = std::min(plan.canary, names.size());
  for (std::size_t i = 0; i < canaries; ++i) {
    std::size_t index = 0;
    if (!dispatcher.claim(index)) break;
    if (dispatcher.run(index)) {
      dispatcher.stop("canary " + names[index] + " failed");
      break;
    }
  }
  if (!dispatcher.stopped()) {
    const std::size_t left = names.size() - dispatcher.next();
    const std::size_t count = std::min<std::size_t>(std::max(1u, plan.parallel), left);
    std::vector<std::thread> workers;
    workers.reserve(count);
    for (std::size_t i = 0; i < count; ++i) workers.emplace_back([&dispatcher] { dispatcher.worker(); });
    for (auto& worker : workers) worker.join();
  }
  return dispatcher.finish();
}

}  // namespace sonamu
