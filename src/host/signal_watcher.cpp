#include "host/signal_watcher.hpp"

#include "core/interrupt.hpp"

#include <csignal>
#include <pthread.h>
#include <unistd.h>

namespace sonamu::cli {

namespace {

sigset_t watched_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR2);  // internal: wakes the thread up to stop
  return set;
}

}  // namespace

SignalWatcher::SignalWatcher() {
  // Blocked in this thread before the watcher starts, so every thread inherits the mask and
  // only sigwait() in the watcher ever receives these signals.
  const sigset_t set = watched_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  thread_ = std::thread([this] { loop(); });
}

SignalWatcher::~SignalWatcher() {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    stopping_ = true;
    cx_ = nullptr;
    others_.clear();
  }
  pthread_kill(thread_.native_handle(), SIGUSR2);
  thread_.join();
}

void SignalWatcher::watch(pqxx::connection_base* cx) {
  std::lock_guard<std::mutex> guard(mutex_);
  cx_ = cx;
  if (cx != nullptr) connecting_ = false;
}

void SignalWatcher::add(pqxx::connection_base* cx) {
  std::lock_guard<std::mutex> guard(mutex_);
  others_.insert(cx);
  // A fleet's worker has a session now: a signal must stop the fleet in order (targets
  // rolled back, the rest reported not started), not end the process as while connecting.
  connecting_ = false;
}

void SignalWatcher::remove(pqxx::connection_base* cx) {
  std::lock_guard<std::mutex> guard(mutex_);
  others_.erase(cx);
}

void SignalWatcher::cancel() {
  std::set<pqxx::connection_base*> all = others_;
  if (cx_ != nullptr) all.insert(cx_);
  for (auto* cx : all) {
    try {
      cx->cancel_query();  // the statement fails with "canceling statement due to user request"
    } catch (...) {
      // The connection is gone: the core stops at its next check.
    }
  }
}

void SignalWatcher::loop() {
  const sigset_t set = watched_signals();
  // A cancel that reaches the server between two statements cancels nothing, and the next
  // statement could run long; so it is repeated until the core has stopped.
  const timespec retry = {0, 250 * 1000 * 1000};
  for (;;) {
    const int signal_number = sigtimedwait(&set, nullptr, &retry);
    std::lock_guard<std::mutex> guard(mutex_);
    if (stopping_) return;
    if (signal_number < 0 || signal_number == SIGUSR2) {
      if (interrupt_signal() != 0 && !interrupt_acknowledged()) cancel();
      continue;
    }
    if (connecting_) {
      // libpq's connect cannot be cancelled, and waits up to the connect timeout: with no
      // session yet there is nothing to roll back or release, so the process ends here.
      static const char sigint_text[] = "Interrupted by SIGINT while connecting: nothing was changed\n";
      static const char sigterm_text[] = "Interrupted by SIGTERM while connecting: nothing was changed\n";
      const bool is_int = signal_number == SIGINT;
      const ssize_t written = ::write(STDERR_FILENO, is_int ? sigint_text : sigterm_text,
                                      is_int ? sizeof sigint_text - 1 : sizeof sigterm_text - 1);
      static_cast<void>(written);
      ::_exit(128 + signal_number);
    }
    request_interrupt(signal_number);
    cancel();
  }
}

}  // namespace sonamu::cli
