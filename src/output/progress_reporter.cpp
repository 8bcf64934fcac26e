#include "output/progress_reporter.hpp"

#include "output/progress_text.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include <csignal>
#include <pthread.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace sonamu::cli {

namespace {

using std::chrono::milliseconds;

/// How often the line is redrawn: a few times a second.
constexpr milliseconds redraw_interval{200};

milliseconds between(std::chrono::steady_clock::time_point from, std::chrono::steady_clock::time_point to) {
  return std::chrono::duration_cast<milliseconds>(to - from);
}

/// Columns of the terminal on stderr; 80 when it does not say.
std::size_t terminal_columns() {
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

}  // namespace

ProgressReporter::ProgressReporter(Reporter& inner, std::ostream& err, ProgressSettings settings)
    : inner_(inner), err_(err), settings_(std::move(settings)), schedule_(settings_.wait_threshold) {}

ProgressReporter::~ProgressReporter() { stop(); }

void ProgressReporter::set_lock_monitor(LockMonitorFactory factory) {
  std::lock_guard<std::mutex> guard(mutex_);
  factory_ = std::move(factory);
}

void ProgressReporter::start() {
  if (thread_.joinable() || stopping_) return;
  // The thread takes no signal: Ctrl-C and SIGTERM belong to the signal watcher, which
  // cancels the migrations' statement.
  sigset_t all;
  sigset_t previous;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &previous);
  thread_ = std::thread([this] { loop(); });
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

void ProgressReporter::stop() {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    stopping_ = true;
    erase();
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ProgressReporter::erase() {
  if (!drawn_) return;
  err_ << "\r\033[K" << std::flush;
  drawn_ = false;
}

void ProgressReporter::draw(Clock::time_point now) {
  if (!settings_.status_line || stopping_) return;
  StatusState state;
  state.command = settings_.command;
  if (!in_batch_) {
    // Before the first batch the command may wait already: for the migration lock, or in the
    // measurement of the data at risk for a table lock. The line says so from the start.
    if (!lock_wait_ && !measuring_) return;
    state.phase = lock_wait_ ? "nothing done yet" : "measuring the data at risk";
    state.phase_elapsed = between(phase_start_, now);
    if (lock_wait_) {
      state.waiting = migration_lock_brief(*lock_wait_);
    } else if (statement_running_ && wait_) {
      state.waiting = lock_wait_brief(*wait_, settings_.style);
    }
    state.frame = frame_++;
    err_ << '\r' << status_line(state, terminal_columns() - 1, settings_.style) << "\033[K" << std::flush;
    drawn_ = true;
    return;
  }
  state.batch = batch_;
  state.index = index_;
  state.total = names_.size();
  state.migration = migration_;
  state.migration_elapsed = migration_.empty() ? milliseconds(0) : between(migration_start_, now);
  state.batch_elapsed = between(batch_start_, now);
  if (statement_running_ && wait_) {
    state.waiting = lock_wait_brief(*wait_, settings_.style);
  } else if (statement_running_ && between(statement_start_, now) >= settings_.slow_statement) {
    state.statement = statement_sql_;
  }
  state.frame = frame_++;
  err_ << '\r' << status_line(state, terminal_columns() - 1, settings_.style) << "\033[K" << std::flush;
  drawn_ = true;
}

void ProgressReporter::end_batch() {
  in_batch_ = false;
  measuring_ = false;
  lock_wait_.reset();
  statement_running_ = false;
  wait_.reset();
}

void ProgressReporter::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  Clock::time_point last_draw{};
  while (!stopping_) {
    auto wake = Clock::now() + redraw_interval;
    if (const auto next = schedule_.next_look(); next && *next < wake) wake = *next;
    wake_.wait_until(lock, wake);
    if (stopping_) break;
    lock.unlock();
    monitor(Clock::now());
    lock.lock();
    // Woken early (a new statement, a look): the line keeps its pace of a few times a second.
    const auto now = Clock::now();
    if (now - last_draw >= redraw_interval) {
      draw(now);
      last_draw = now;
    }
  }
  lock.unlock();
  close_monitor("the command ends");
}

void ProgressReporter::close_monitor(const char* why) {
  if (!monitor_) return;
  monitor_.reset();
  spdlog::debug("monitoring connection closed: {}", why);
}

void ProgressReporter::monitor(Clock::time_point now) {
  bool running = false;
  unsigned long id = 0;
  Clock::time_point start{};
  bool can_monitor = false;
  {
    std::lock_guard<std::mutex> guard(mutex_);
    running = statement_running_;
    id = statement_id_;
    start = statement_start_;
    can_monitor = static_cast<bool>(factory_) && !monitor_failed_;
  }
  if (!running || !can_monitor) {
    schedule_.statement_ended();
    close_monitor("no statement runs");
    return;
  }
  if (id != monitored_statement_) {
    // Nothing is known yet of a new statement: it is looked at once it has run a while.
    close_monitor("the statement it watched ended");
    monitored_statement_ = id;
    schedule_.statement_started(start);
  }
  if (!schedule_.due(now)) return;
  {
    std::lock_guard<std::mutex> guard(mutex_);
    if (!statement_running_ || statement_id_ != id) return;  // it ended meanwhile
    looking_ = true;
    looking_at_ = id;
  }
  std::optional<LockWait> wait;
  try {
    if (!monitor_) {
      spdlog::debug("a statement has run {} ms: opening a monitoring connection", between(start, now).count());
      monitor_ = factory_();
    }
    wait = monitor_->check();
    if (!schedule_.looked(Clock::now(), wait.has_value())) {
      close_monitor("the statement waits for no lock");
      spdlog::debug("next look at the statement in {} ms", between(Clock::now(), *schedule_.next_look()).count());
    }
  } catch (const std::exception& e) {
    // Monitoring is a help, never a reason to fail: the migration goes on without it.
    spdlog::debug("lock monitoring stopped: {}", e.what());
    monitor_.reset();
    monitor_failed_ = true;
  }
  {
    std::lock_guard<std::mutex> guard(mutex_);
    looking_ = false;
    if (statement_running_ && statement_id_ == id) {
      wait_ = std::move(wait);
      if (wait_) {
        erase();
        inner_.lock_waiting(*wait_, between(statement_start_, Clock::now()));
      }
    }
  }
  looked_.notify_all();
}

void ProgressReporter::await_look(std::unique_lock<std::mutex>& lock) {
  // Bounded, as the failed transaction still holds its locks: the look's own query ends
  // within the monitoring connection's statement_timeout (2 s).
  looked_.wait_for(lock, std::chrono::seconds(3), [&] { return !looking_ || looking_at_ != statement_id_; });
}

void ProgressReporter::batch_started(Direction direction, int batch, const std::vector<std::string>& names) {
  std::lock_guard<std::mutex> guard(mutex_);
  erase();
  inner_.batch_started(direction, batch, names);
  in_batch_ = true;
  measuring_ = false;
  lock_wait_.reset();
  batch_ = batch;
  names_ = names;
  index_ = 0;
  migration_.clear();
  batch_start_ = Clock::now();
  start();
  draw(batch_start_);
}

void ProgressReporter::migration_started(Direction direction, const std::string& name) {
  std::lock_guard<std::mutex> guard(mutex_);
  erase();
  inner_.migration_started(direction, name);
  migration_ = name;
  migration_start_ = Clock::now();
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) index_ = i + 1;
  }
  draw(migration_start_);
}

void ProgressReporter::statement(const std::string& sql, const std::vector<Param>& params) {
  std::lock_guard<std::mutex> guard(mutex_);
  erase();
  inner_.statement(sql, params);
  begin_statement(sql);
}

void ProgressReporter::statement_finished(std::chrono::milliseconds elapsed) {
  std::lock_guard<std::mutex> guard(mutex_);
  erase();
  inner_.statement_finished(elapsed);
  end_statement();
}

void ProgressReporter::measuring_statement(bool running) {
  // Not shown on the line (no batch runs yet), but watched: the lock it waits for is named
  // if the measurement is stopped by it.
  std::lock_guard<std::mutex> guard(mutex_);
  erase();
  inner_.measuring_statement(running);
  if (running) {
    if (!measuring_) phase_start_ = Clock::now();
    measuring_ = true;
    begin_statement("");
  } else {
    end_statement();
  }
}

void ProgressReporter::begin_statement(const std::string& sql) {
  statement_running_ = true;
  statement_sql_ = sql;
  statement_start_ = Clock::now();
  ++statement_id_;
  wait_.reset();
  start();
  draw(statement_start_);
  wake_.notify_all();  // the thread schedules the new statement's first look
}

void ProgressReporter::end_statement() {
  statement_running_ = false;
  wait_.reset();
  draw(Clock::now());
  wake_.notify_all();  // the thread closes a monitoring connection at once
}

void ProgressReporter::migration_lock_wait(const std::optional<MigrationLockWait>& wait) {
  std::lock_guard<std::mutex> guard(mutex_);
  erase();
  inner_.migration_lock_wait(wait);
  if (wait && !lock_wait_) phase_start_ = Clock::now();
  lock_wait_ = wait;
  if (wait) start();
  draw(Clock::now());
}

void ProgressReporter::lock_retry(Direction direction, const std::string& name, const LockRetry& retry) {
  std::unique_lock<std::mutex> guard(mutex_);
  // The look under way, if any, names who held the lock.
  if (ends_lock_wait(retry.sqlstate)) await_look(guard);
  erase();
  inner_.lock_retry(direction, name, retry);
  // The statement ended with its attempt; the line goes on showing the batch during the pause.
  statement_running_ = false;
  wait_.reset();
  draw(Clock::now());
}

void ProgressReporter::migration_finished(Direction direction, const std::string& name,
                                          std::chrono::milliseconds elapsed) {
  std::lock_guard<std::mutex> guard(mutex_);
  erase();
  inner_.migration_finished(direction, name, elapsed);
  draw(Clock::now());
}

void ProgressReporter::migration_failed(Direction direction, const std::string& name, const std::string& message,
                                        const std::string& sqlstate) {
  std::unique_lock<std::mutex> lock(mutex_);
  // A limit that ended a wait: the look under way, if any, names who held the lock.
  if (ends_lock_wait(sqlstate)) await_look(lock);
  erase();
  end_batch();
  inner_.migration_failed(direction, name, message, sqlstate);
}

void ProgressReporter::batch_committed(Direction direction, int batch, const std::vector<std::string>& names) {
  std::lock_guard<std::mutex> guard(mutex_);
  erase();
  end_batch();
  inner_.batch_committed(direction, batch, names);
}

void ProgressReporter::batch_in_parts(Direction direction, int batch,
                                      const std::vector<std::pair<bool, std::vector<std::string>>>& parts) {
  std::lock_guard<std::mutex> guard(mutex_);
  erase();
  inner_.batch_in_parts(direction, batch, parts);
}

void ProgressReporter::batch_partly_done(Direction direction, int batch, const std::vector<std::string>& done,
                                         const std::vector<std::string>& not_done) {
  std::lock_guard<std::mutex> guard(mutex_);
  erase();
  end_batch();
  inner_.batch_partly_done(direction, batch, done, not_done);
}

void ProgressReporter::migration_skipped(Direction direction, const std::string& name, const std::string& reason) {
  std::lock_guard<std::mutex> guard(mutex_);
  erase();
  inner_.migration_skipped(direction, name, reason);
  draw(Clock::now());
}

void ProgressReporter::data_at_risk(const std::vector<DataAtRisk>& risks) {
  std::unique_lock<std::mutex> lock(mutex_);
  // A measurement stopped by a limit: the look under way, if any, names who held the lock.
  const bool stopped_by_wait = std::any_of(risks.begin(), risks.end(), [](const DataAtRisk& risk) {
    return risk.kind == LossKind::unknown && ends_lock_wait(risk.sqlstate);
  });
  if (stopped_by_wait) await_look(lock);
  erase();
  statement_running_ = false;  // the measurement's last statement, if it failed
  measuring_ = false;
  wait_.reset();
  inner_.data_at_risk(risks);
}

void ProgressReporter::verify_holds_locks(const std::optional<std::string>& lock_timeout,
                                          const std::optional<std::string>& statement_timeout) {
  std::lock_guard<std::mutex> guard(mutex_);
  erase();
  inner_.verify_holds_locks(lock_timeout, statement_timeout);
  draw(Clock::now());
}

void ProgressReporter::verified(const std::string& name, const std::vector<std::string>& left_behind,
                                const std::vector<std::string>& missing) {
  std::lock_guard<std::mutex> guard(mutex_);
  erase();
  inner_.verified(name, left_behind, missing);
  draw(Clock::now());
}

void ProgressReporter::data_checked(const std::string& name, const DataCheck& check,
                                    const std::optional<std::string>& declared_lossy) {
  std::lock_guard<std::mutex> guard(mutex_);
  erase();
  inner_.data_checked(name, check, declared_lossy);
  draw(Clock::now());
}

void ProgressReporter::nothing_to_do(Direction direction) {
  std::lock_guard<std::mutex> guard(mutex_);
  erase();
  end_batch();
  inner_.nothing_to_do(direction);
}

void ProgressReporter::nothing_after(const std::string& name) {
  std::lock_guard<std::mutex> guard(mutex_);
  erase();
  end_batch();
  inner_.nothing_after(name);
}

void ProgressReporter::late_migrations(const std::vector<std::string>& names, const std::string& newest_applied) {
  std::lock_guard<std::mutex> guard(mutex_);
  erase();
  inner_.late_migrations(names, newest_applied);
}

void ProgressReporter::all_rolled_back() {
  std::lock_guard<std::mutex> guard(mutex_);
  erase();
  end_batch();
  inner_.all_rolled_back();
}

void ProgressReporter::rollback_all_stopped(const std::vector<int>& done_batches, int failed_batch) {
  std::lock_guard<std::mutex> guard(mutex_);
  erase();
  end_batch();
  inner_.rollback_all_stopped(done_batches, failed_batch);
}

}  // namespace sonamu::cli
