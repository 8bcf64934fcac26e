#pragma once
/// While a command works: a live status line on a terminal, and the lock a statement waits for,
/// found through a bounded monitoring connection. Wraps the reporter that prints the
/// documented output (or collects the JSON document) and forwards every event to it.

#include "core/lock_wait.hpp"
#include "core/reporter.hpp"
#include "output/format.hpp"
#include "output/monitor_schedule.hpp"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>

namespace sonamu::cli {

/// How the progress of one command is shown.
struct ProgressSettings {
  bool status_line = false;  ///< draw the live line on `err` (a terminal)
  std::string command;       ///< as the line names it ("run", "rollback --all", ...)
  Style style;               ///< emoji and colour of the line
  /// How long a statement runs before the monitoring connection first looks at what it waits
  /// for (shorter with a short lock_timeout or statement_timeout: see first_look_after).
  std::chrono::milliseconds wait_threshold{200};
  /// How long a statement runs (not waiting) before the line shows it.
  std::chrono::milliseconds slow_statement{3000};
};

/// Forwards every event to `inner`, serialised with its own drawing thread; erases the status
/// line before anything else is printed, so the screen ends with exactly the documented output.
class ProgressReporter final : public Reporter {
 public:
  ProgressReporter(Reporter& inner, std::ostream& err, ProgressSettings settings);
  ~ProgressReporter() override;
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  /// Where lock waits are looked up; without one (a pooler in between) nothing is monitored.
  void set_lock_monitor(LockMonitorFactory factory);
  /// Stops the thread, closes the monitoring connection and erases the line. Idempotent.
  void stop();

  void migration_started(Direction direction, const std::string& name) override;
  void statement(const std::string& sql, const std::vector<Param>& params) override;
  void statement_finished(std::chrono::milliseconds elapsed) override;
  void measuring_statement(bool running) override;
  void migration_lock_wait(const std::optional<MigrationLockWait>& wait) override;
  void lock_retry(Direction direction, const std::string& name, const LockRetry& retry) override;
  void batch_started(Direction direction, int batch, const std::vector<std::string>& names) override;
  void migration_finished(Direction direction, const std::string& name,
                          std::chrono::milliseconds elapsed) override;
  void migration_failed(Direction direction, const std::string& name, const std::string& message,
                        const std::string& sqlstate) override;
  void batch_committed(Direction direction, int batch, const std::vector<std::string>& names) override;
  void batch_in_parts(Direction direction, int batch,
                      const std::vector<std::pair<bool, std::vector<std::string>>>& parts) override;
  void batch_partly_done(Direction direction, int batch, const std::vector<std::string>& done,
                         const std::vector<std::string>& not_done) override;
  void migration_skipped(Direction direction, const std::string& name, const std::string& reason) override;
  void data_at_risk(const std::vector<DataAtRisk>& risks) override;
  void verify_holds_locks(const std::optional<std::string>& lock_timeout,
                          const std::optional<std::string>& statement_timeout) override;
  void verified(const std::string& name, const std::vector<std::string>& left_behind,
                const std::vector<std::string>& missing) override;
  void data_checked(const std::string& name, const DataCheck& check,
                    const std::optional<std::string>& declared_lossy) override;
  void nothing_to_do(Direction direction) override;
  void nothing_after(const std::string& name) override;
  void late_migrations(const std::vector<std::string>& names, const std::string& newest_applied) override;
  void all_rolled_back() override;
  void rollback_all_stopped(const std::vector<int>& done_batches, int failed_batch) override;

 private:
  using Clock = std::chrono::steady_clock;
  void start();            ///< starts the thread once; mutex_ held
  void erase();            ///< erases the drawn line; mutex_ held
  void draw(Clock::time_point now);  ///< mutex_ held
  void end_batch();        ///< nothing more to draw until the next batch; mutex_ held
  void begin_statement(const std::string& sql);  ///< a statement to watch starts; mutex_ held
  void end_statement();    ///< it completed; mutex_ held
  void loop();
  /// One look at the running statement's wait, when one is due; called without mutex_, on the
  /// thread. The connection stays open only while the statement is seen waiting.
  void monitor(Clock::time_point now);
  /// Closes the monitoring connection, if open; on the thread.
  void close_monitor(const char* why);
  /// Until a look at the current statement that is under way has ended (bounded), so a wait it
  /// finds reaches the error of a limit that ended the wait; mutex_ held through `lock`.
  void await_look(std::unique_lock<std::mutex>& lock);

  Reporter& inner_;
  std::ostream& err_;
  ProgressSettings settings_;
  LockMonitorFactory factory_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread thread_;
  bool stopping_ = false;
  bool drawn_ = false;

  bool in_batch_ = false;
  bool measuring_ = false;                      ///< the data at risk is being measured
  std::optional<MigrationLockWait> lock_wait_;  ///< the migration lock, while it is waited for
  Clock::time_point phase_start_{};             ///< of the measurement or the wait
  int batch_ = 0;
  std::vector<std::string> names_;
  std::string migration_;
  std::size_t index_ = 0;
  Clock::time_point batch_start_{};
  Clock::time_point migration_start_{};

  bool statement_running_ = false;
  std::string statement_sql_;
  Clock::time_point statement_start_{};
  unsigned long statement_id_ = 0;
  std::optional<LockWait> wait_;  ///< of statement statement_id_
  unsigned frame_ = 0;
  bool looking_ = false;          ///< the thread is looking at statement looking_at_
  unsigned long looking_at_ = 0;
  std::condition_variable looked_;

  // Used by the thread only.
  std::unique_ptr<LockMonitor> monitor_;
  unsigned long monitored_statement_ = 0;
  MonitorSchedule schedule_;
  bool monitor_failed_ = false;
};

}  // namespace sonamu::cli
