// When the monitoring connection looks at a running statement and when it is closed: the
// schedule as a pure function of time, and the progress reporter driving a fake monitor.
#include "output/monitor_schedule.hpp"
#include "output/progress_reporter.hpp"
#include "output/terminal_reporter.hpp"

#include "../support/wait_until.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>

using namespace sonamu;
using namespace sonamu::cli;
using sonamu::test::wait_until;
using std::chrono::milliseconds;

TEST_CASE("statement limits are read as PostgreSQL reads them") {
  CHECK(limit_duration(std::string("500ms")) == milliseconds(500));
  CHECK(limit_duration(std::string("4s")) == milliseconds(4000));
  CHECK(limit_duration(std::string(" 1.5 min ")) == milliseconds(90000));
  CHECK(limit_duration(std::string("250")) == milliseconds(250));  // PostgreSQL's unit: ms
  CHECK(limit_duration(std::string("2h")) == milliseconds(7200000));
  CHECK(limit_duration(std::string("100us")) == milliseconds(1));
  CHECK_FALSE(limit_duration(std::string("0")));  // no limit
  CHECK_FALSE(limit_duration(std::string("soon")));
  CHECK_FALSE(limit_duration(std::nullopt));
}

TEST_CASE("the first look comes after a second, or sooner before a short limit ends the wait") {
  const milliseconds second(1000);
  CHECK(first_look_after(second, std::nullopt, std::nullopt) == second);
  CHECK(first_look_after(second, milliseconds(30000), milliseconds(60000)) == second);
  CHECK(first_look_after(second, milliseconds(500), std::nullopt) == milliseconds(125));
  CHECK(first_look_after(second, milliseconds(4000), milliseconds(2000)) == milliseconds(500));
  CHECK(first_look_after(second, milliseconds(10), std::nullopt) == MonitorSchedule::shortest);
}

TEST_CASE("a statement seen waiting is watched; seen not waiting, the connection closes and looks back off") {
  using namespace std::chrono;
  MonitorSchedule schedule(milliseconds(1000));
  const auto t0 = MonitorClock::now();
  CHECK_FALSE(schedule.next_look());
  schedule.statement_started(t0);
  CHECK_FALSE(schedule.due(t0 + milliseconds(999)));
  CHECK(schedule.due(t0 + milliseconds(1000)));

  // Not waiting: closed, and the pauses double up to the longest.
  auto now = t0 + milliseconds(1000);
  CHECK_FALSE(schedule.looked(now, false));
  CHECK(*schedule.next_look() == now + milliseconds(2000));
  std::vector<long long> pauses;
  for (int i = 0; i < 6; ++i) {
    now = *schedule.next_look();
    CHECK_FALSE(schedule.looked(now, false));
    pauses.push_back(duration_cast<milliseconds>(*schedule.next_look() - now).count());
  }
  CHECK(pauses == std::vector<long long>{4000, 8000, 16000, 30000, 30000, 30000});

  // Waiting: kept open and looked at often; once the wait is over, closed again.
  now = *schedule.next_look();
  CHECK(schedule.looked(now, true));
  CHECK(*schedule.next_look() == now + MonitorSchedule::while_waiting);
  now = *schedule.next_look();
  CHECK_FALSE(schedule.looked(now, false));
  CHECK(*schedule.next_look() == now + MonitorSchedule::first_pause);

  // A new statement starts over; when nothing runs, nothing is due.
  schedule.statement_started(now);
  CHECK(*schedule.next_look() == now + milliseconds(1000));
  schedule.statement_ended();
  CHECK_FALSE(schedule.next_look());
  CHECK_FALSE(schedule.due(now + hours(1)));
}

namespace {

/// Monitoring connections as the reporter opens and closes them, each look answered with
/// `answer` (and held until `release` when `hold` is set).
struct FakeMonitors {
  std::atomic<int> opened{0};
  std::atomic<int> closed{0};
  std::atomic<int> looks{0};
  std::optional<LockWait> answer;
  bool hold = false;
  std::mutex mutex;
  std::condition_variable released_cv;
  bool released = false;

  void release() {
    {
      std::lock_guard<std::mutex> guard(mutex);
      released = true;
    }
    released_cv.notify_all();
  }

  LockMonitorFactory factory() {
    return [this]() -> std::unique_ptr<LockMonitor> { return std::make_unique<Fake>(*this); };
  }

  class Fake final : public LockMonitor {
   public:
    explicit Fake(FakeMonitors& all) : all_(all) { ++all_.opened; }
    ~Fake() override { ++all_.closed; }
    Fake(const Fake&) = delete;
    Fake& operator=(const Fake&) = delete;
    std::optional<LockWait> check() override {
      ++all_.looks;
      if (all_.hold) {
        std::unique_lock<std::mutex> lock(all_.mutex);
        all_.released_cv.wait(lock, [&] { return all_.released; });
      }
      return all_.answer;
    }

   private:
    FakeMonitors& all_;
  };
};

LockWait users_wait() {
  LockWait wait;
  wait.relation = "users";
  wait.locktype = "relation";
  wait.mode = "AccessExclusiveLock";
  wait.holders.push_back({4711, "api", "idle in transaction", "2025-12-20T14:30:00Z", 12, "LOCK TABLE users"});
  return wait;
}

ProgressSettings quick_settings() {
  ProgressSettings settings;
  settings.wait_threshold = milliseconds(50);
  return settings;
}

}  // namespace

TEST_CASE("a statement that waits for no lock keeps no monitoring connection open") {
  std::ostringstream out, err;
  TerminalReporter inner(out, err, {false, false});
  FakeMonitors monitors;
  ProgressReporter reporter(inner, err, quick_settings());
  reporter.set_lock_monitor(monitors.factory());
  reporter.batch_started(Direction::up, 1, {"a.cpp"});
  reporter.migration_started(Direction::up, "a.cpp");
  reporter.statement("UPDATE big SET n = n + 1", {});
  wait_until("a look at the statement", [&] { return monitors.looks >= 1; });
  // Still running, and the connection of that look is already closed.
  wait_until("the monitoring connection to close", [&] { return monitors.closed == monitors.opened; });
  CHECK(monitors.opened >= 1);
  reporter.statement_finished(milliseconds(200));
  reporter.stop();
  CHECK(monitors.closed == monitors.opened);
}

TEST_CASE("a statement seen waiting keeps one connection until it no longer runs") {
  std::ostringstream out, err;
  TerminalReporter inner(out, err, {true, false});
  FakeMonitors monitors;
  monitors.answer = users_wait();
  ProgressReporter reporter(inner, err, quick_settings());
  reporter.set_lock_monitor(monitors.factory());
  reporter.batch_started(Direction::up, 1, {"a.cpp"});
  reporter.migration_started(Direction::up, "a.cpp");
  reporter.statement("ALTER TABLE users ADD COLUMN x text", {});
  wait_until("a second look at the waiting statement", [&] { return monitors.looks >= 2; });
  CHECK(monitors.opened == 1);
  CHECK(monitors.closed == 0);
  reporter.statement_finished(milliseconds(2000));
  wait_until("the monitoring connection to close", [&] { return monitors.closed == 1; });
  reporter.stop();
  CHECK(monitors.opened == 1);
}

TEST_CASE("a lock timeout during a look waits for it, so the error names the blocker") {
  std::ostringstream out, err;
  TerminalReporter inner(out, err, {false, false});
  FakeMonitors monitors;
  monitors.answer = users_wait();
  monitors.hold = true;
  ProgressReporter reporter(inner, err, quick_settings());
  reporter.set_lock_monitor(monitors.factory());
  reporter.batch_started(Direction::up, 1, {"a.cpp"});
  reporter.migration_started(Direction::up, "a.cpp");
  reporter.statement("ALTER TABLE users ADD COLUMN x text", {});
  wait_until("the look to begin", [&] { return monitors.looks == 1; });
  // The limit ends the wait while the look is under way: the failure is reported after it.
  std::thread failing([&] {
    reporter.migration_failed(Direction::up, "a.cpp", "canceling statement due to lock timeout", "55P03");
  });
  monitors.release();
  failing.join();
  reporter.stop();
  CHECK(err.str() ==
        "❌ Error running a.cpp\n"
        "   Error: canceling statement due to lock timeout\n"
        "   Waited for lock on \"users\" (AccessExclusiveLock) held by pid 4711, application \"api\", "
        "idle in transaction for 12 s\n"
        "   Query of pid 4711: LOCK TABLE users\n"
        "   Its transaction was rolled back: nothing it did was kept. To go on, end the transaction of pid 4711, or give "
        "the lock more time with --lock-timeout-sql, and run the command again\n");
}
