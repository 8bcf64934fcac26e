#include "cli/signal_watcher.hpp"

#include "core/interrupt.hpp"

#include <csignal>
#include <pthread.h>

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
  }
  pthread_kill(thread_.native_handle(), SIGUSR2);
  thread_.join();
}

void SignalWatcher::watch(pqxx::connection_base* cx) {
  std::lock_guard<std::mutex> guard(mutex_);
  cx_ = cx;
}

void SignalWatcher::loop() {
  const sigset_t set = watched_signals();
  for (;;) {
    int signal_number = 0;
    if (sigwait(&set, &signal_number) != 0) continue;
    std::lock_guard<std::mutex> guard(mutex_);
    if (stopping_) return;
    if (signal_number == SIGUSR2) continue;
    request_interrupt(signal_number);
    if (cx_ != nullptr) {
      try {
        cx_->cancel_query();  // the statement fails with "canceling statement due to user request"
      } catch (...) {
        // Nothing running, or the connection is gone: the core stops at its next check.
      }
    }
  }
}

}  // namespace sonamu::cli
