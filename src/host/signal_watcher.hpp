#pragma once
/// Turns Ctrl-C and SIGTERM into an orderly stop: the signal is recorded for the core to see
/// between statements, and the statement running on the server is cancelled.

#include <pqxx/connection_base>

#include <mutex>
#include <set>
#include <thread>

namespace sonamu::cli {

/// While alive, SIGINT and SIGTERM are handled by a thread of their own (never by an
/// async-signal handler, so the cancellation can use libpq freely).
class SignalWatcher {
 public:
  SignalWatcher();
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  /// The connection whose running statement a signal cancels (nullptr: none).
  void watch(pqxx::connection_base* cx);

  /// One more connection whose running statement a signal cancels: a fleet's workers each
  /// add theirs while they use it, and remove it before closing it.
  void add(pqxx::connection_base* cx);
  void remove(pqxx::connection_base* cx);

 private:
  void loop();
  void cancel();  ///< cancels the running statement, if any; mutex_ held

  std::mutex mutex_;
  pqxx::connection_base* cx_ = nullptr;
  std::set<pqxx::connection_base*> others_;
  bool stopping_ = false;
  bool connecting_ = true;  ///< no connection watched yet: nothing to roll back or release
  std::thread thread_;
};

}  // namespace sonamu::cli
