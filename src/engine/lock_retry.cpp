#include "engine/lock_retry.hpp"

#include "core/interrupt.hpp"

#include <algorithm>
#include <thread>

namespace sonamu {

RetryDelays::RetryDelays(const LockRetryPolicy& policy) : policy_(policy), random_(std::random_device{}()) {}

std::chrono::milliseconds RetryDelays::after(int attempt) {
  long long delay = policy_.first_delay.count();
  for (int i = 1; i < attempt && delay < policy_.max_delay.count(); ++i) delay *= 2;
  delay = std::min(delay, static_cast<long long>(policy_.max_delay.count()));
  if (delay <= 1) return std::chrono::milliseconds(std::max(delay, 0LL));
  std::uniform_int_distribution<long long> half(delay / 2, delay);
  return std::chrono::milliseconds(half(random_));
}

void pause_interruptibly(std::chrono::milliseconds delay) {
  // In short steps, so Ctrl-C during the pause stops the command at once.
  constexpr std::chrono::milliseconds step{50};
  const auto end = std::chrono::steady_clock::now() + delay;
  for (;;) {
    throw_if_interrupted();
    const auto now = std::chrono::steady_clock::now();
    if (now >= end) return;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(step, end - now));
  }
}

void CountingReporter::statement(const std::string& sql, const std::vector<Param>& params) {
  ++statements_;
  inner_.statement(sql, params);
}

}  // namespace sonamu
