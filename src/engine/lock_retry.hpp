#pragma once
/// Trying a batch again after a lock timeout or a deadlock: how long to pause, how to pause,
/// and how many statements an attempt sent (a migration run without a transaction is tried
/// again only when nothing of it can have taken effect).

#include "core/forwarding_reporter.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <random>

namespace sonamu {

/// How a batch that fails on a lock timeout (55P03) or a deadlock (40P01) is tried again.
struct LockRetryPolicy {
  int attempts = 5;                              ///< in all; 1: never tried again
  std::chrono::milliseconds first_delay{1000};   ///< the pause after the first attempt
  std::chrono::milliseconds max_delay{30000};    ///< pauses double up to this
};

/// The pauses between attempts: doubling from the first delay up to the maximum, each drawn
/// at random from the upper half of its range, so runners that failed together do not
/// return together.
class RetryDelays {
 public:
  explicit RetryDelays(const LockRetryPolicy& policy);
  /// The pause after attempt `attempt` (from 1) failed.
  std::chrono::milliseconds after(int attempt);

 private:
  LockRetryPolicy policy_;
  std::mt19937 random_;
};

/// Waits `delay`, waking early to throw Interrupted when a signal arrives.
void pause_interruptibly(std::chrono::milliseconds delay);

/// Passes every event on to `inner`, counting the statements sent.
class CountingReporter final : public ForwardingReporter {
 public:
  explicit CountingReporter(Reporter& inner) : ForwardingReporter(inner) {}
  std::size_t statements() const { return statements_; }

  void statement(const std::string& sql, const std::vector<Param>& params) override;

 private:
  std::size_t statements_ = 0;
};

}  // namespace sonamu
