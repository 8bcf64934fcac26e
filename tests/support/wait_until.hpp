#pragma once
/// Waiting for a condition another process brings about (a row in pg_stat_activity, a lock in
/// pg_locks), bounded: past the deadline the test fails, saying what it waited for.

#include "process.hpp"

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

namespace sonamu::test {

/// Checks `condition` until it holds; throws, naming `what`, once `timeout` has passed.
template <typename Condition>
void wait_until(const std::string& what, Condition condition,
                std::chrono::milliseconds timeout = default_deadline) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (condition()) return;
    if (std::chrono::steady_clock::now() >= deadline) {
      throw std::runtime_error("timed out after " + std::to_string(timeout.count()) +
                               " ms waiting for " + what);
    }
    // Polling interval of a catalog query, not a synchronisation: the condition decides.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace sonamu::test
