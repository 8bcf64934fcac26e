// The fleet runner on callbacks (no database), its exit code and its text.
#include "core/error.hpp"
#include "core/fleet.hpp"
#include "core/fleet_shard.hpp"
#include "core/interrupt.hpp"
#include "engine/fleet_runner.hpp"
#include "output/fleet_output.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <mutex>

using namespace sonamu;

namespace {

/// Records the reporter's events in order.
class RecordingFleetReporter final : public FleetReporter {
 public:
  void fleet_started(std::size_t targets, unsigned parallel) override {
    events.push_back("start " + std::to_string(targets) + " " + std::to_string(parallel));
  }
  void target_started(const std::string& target) override { events.push_back("+" + target); }
  void target_finished(const TargetResult& result) override {
    events.push_back((result.state == TargetState::failed ? "!" : "-") + result.target);
  }
  void fleet_stopped(const std::string& reason, const std::vector<std::string>& not_started) override {
    std::string names;
    for (const auto& name : not_started) names += " " + name;
    events.push_back("stopped: " + reason + ":" + names);
  }
  std::vector<std::string> events;
};

std::vector<std::string> names(std::size_t count) {
  std::vector<std::string> list;
  for (std::size_t i = 0; i < count; ++i) list.push_back("t" + std::to_string(i));
  return list;
}

TargetResult ok() {
  TargetResult result;
  result.state = TargetState::done;
  return result;
}

TargetResult failed(int code = 1) {
  TargetResult result;
  result.state = TargetState::failed;
  result.exit_code = code;
  result.error = "boom";
  return result;
}

}  // namespace

TEST_CASE("fleet: canaries run one after another first; a failing canary starts no other target") {
  RecordingFleetReporter reporter;
  FleetPlan plan;
  plan.canary = 3;
  const auto outcome = run_fleet(names(6), plan, [](std::size_t i) { return i == 1 ? failed() : ok(); }, reporter);
  CHECK(reporter.events == std::vector<std::string>{"start 6 4", "+t0", "-t0", "+t1", "!t1",
                                                    "stopped: canary t1 failed: t2 t3 t4 t5"});
  CHECK(outcome.stopped == "canary t1 failed");
  CHECK(outcome.results[2].state == TargetState::not_started);
  CHECK(outcome.results[2].target == "t2");
  CHECK(fleet_exit_code(outcome.results) == 1);
  CHECK(outcome_counts(outcome.results, "migrated") == "1 migrated, 1 failed, 4 not started");
}

TEST_CASE("fleet: continue on error by default; --fail-fast starts no further target") {
  RecordingFleetReporter reporter;
  FleetPlan plan;
  plan.parallel = 1;
  const auto go_on = run_fleet(names(4), plan, [](std::size_t i) { return i == 0 ? failed() : ok(); }, reporter);
  CHECK(go_on.stopped.empty());
  CHECK(outcome_counts(go_on.results, "migrated") == "3 migrated, 1 failed");

  plan.fail_fast = true;
  RecordingFleetReporter fast;
  const auto stop = run_fleet(names(4), plan, [](std::size_t i) { return i == 0 ? failed() : ok(); }, fast);
  CHECK(fast.events == std::vector<std::string>{"start 4 1", "+t0", "!t0", "stopped: --fail-fast: t0 failed: t1 t2 t3"});
}

TEST_CASE("fleet: never more than --parallel targets at once, and all of them at once when allowed") {
  std::mutex mutex;
  std::condition_variable changed;
  int running = 0;
  int most = 0;
  FleetPlan plan;
  plan.parallel = 3;
  RecordingFleetReporter reporter;
  const auto outcome = run_fleet(names(12), plan,
                                 [&](std::size_t) {
                                   std::unique_lock<std::mutex> lock(mutex);
                                   most = std::max(most, ++running);
                                   changed.notify_all();
                                   // The first three wait for each other: proof that three run at once.
                                   changed.wait(lock, [&] { return most >= 3; });
                                   --running;
                                   return ok();
                                 },
                                 reporter);
  CHECK(most == 3);
  CHECK(outcome_counts(outcome.results, "migrated") == "12 migrated");
}

TEST_CASE("fleet: a signal stops new targets; the fleet exits 128 + the signal") {
  RecordingFleetReporter reporter;
  FleetPlan plan;
  plan.parallel = 1;
  const auto outcome = run_fleet(names(3), plan,
                                 [](std::size_t i) {
                                   if (i == 0) request_interrupt(SIGINT);
                                   return ok();
                                 },
                                 reporter);
  clear_interrupt();
  CHECK(reporter.events.back() == "stopped: interrupted by SIGINT: t1 t2");
  CHECK(outcome.stop_code == 130);
  CHECK(fleet_exit_code(outcome.results, outcome.stop_code) == 130);
}

TEST_CASE("fleet: the exit code is the most severe of the targets' by the documented order") {
  const auto with = [](std::vector<int> codes) {
    std::vector<TargetResult> results;
    for (int code : codes) results.push_back(code == 0 ? ok() : failed(code));
    return fleet_exit_code(results);
  };
  CHECK(with({0, 0}) == 0);
  CHECK(with({2, 3}) == 3);
  CHECK(with({3, 5}) == 5);
  CHECK(with({5, 1, 3}) == 1);
  CHECK(with({1, 4, 2}) == 4);
  CHECK(with({4, 130}) == 130);
}

TEST_CASE("fleet: the progress line, the failures and the status table") {
  CHECK(sonamu::cli::fleet_progress_line("tenants", 12, 1, 4, 23, std::chrono::milliseconds(3249)) ==
        "fleet tenants: 12 done, 1 failed, 4 running, 23 left, 3.2s");

  FleetOutcome outcome;
  outcome.results = {ok(), failed(), failed(3), TargetResult{}};
  outcome.results[0].target = "a";
  outcome.results[1].target = "b";
  outcome.results[1].migration = "001_x.cpp";
  outcome.results[2].target = "c";
  outcome.results[2].error = "Cannot connect to PostgreSQL at h:5432/c: refused";
  outcome.results[3].target = "d";
  outcome.stopped = "--fail-fast: b failed";
  CHECK(sonamu::cli::fleet_failures_text(outcome, Direction::up, sonamu::cli::Style{false, false}) ==
        "b: [error] Error running 001_x.cpp\n   Error: boom\n"
        "c: [error] Cannot connect to PostgreSQL at h:5432/c: refused\n"
        "Stopped (--fail-fast: b failed): not started: d\n");

  std::vector<TargetReport> reports(2);
  reports[0].result.target = "tenant_long_name";
  const auto status_value = [](StatusReport status) {
    CommandResult value;
    value.kind = CommandResult::Kind::status;
    value.status = std::move(status);
    return value;
  };
  StatusReport pending;
  pending.pending = {"1.cpp", "2.cpp"};
  reports[0].value = status_value(pending);
  reports[1].result.target = "t2";
  StatusReport applied;
  applied.executed.push_back({3, {AppliedMigration{}, AppliedMigration{}}});
  reports[1].value = status_value(applied);
  CHECK(sonamu::cli::fleet_status_table(reports) ==
        "target            applied  pending  last batch\n"
        "tenant_long_name        0        2           -\n"
        "t2                      2        0           3\n");
}

TEST_CASE("--shard K/N: every target in exactly one share, by its name alone; bad forms refused") {
  std::vector<std::string> names;
  for (int i = 0; i < 200; ++i) names.push_back("tenant_" + std::to_string(i));
  for (const std::size_t count : {1u, 2u, 3u, 7u}) {
    std::vector<int> shares(count + 1, 0);
    for (const auto& name : names) {
      int owners = 0;
      for (std::size_t index = 1; index <= count; ++index) {
        if (in_fleet_shard(name, {index, count})) {
          ++owners;
          ++shares[index];
        }
      }
      CHECK(owners == 1);
    }
    // Spread over every share (a hash that put all in one would still partition).
    for (std::size_t index = 1; index <= count; ++index) CHECK(shares[index] > 0);
  }
  CHECK(parse_fleet_shard("2/4").index == 2);
  CHECK(parse_fleet_shard("2/4").count == 4);
  for (const std::string bad : {"0/2", "3/2", "1/0", "1/1001", "a/b", "1/2/3", "", "1-2", "-1/2"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_fleet_shard(bad), Error);
  }
}
