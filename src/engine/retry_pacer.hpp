#pragma once
/// When a batch, or the measurement of a rollback's data at risk, that failed on a lock
/// timeout or a deadlock is tried again, and the pause before it (no transaction is open
/// during the pause, so the tables the attempt locked are free again).

#include "engine/engine_context.hpp"
#include "engine/lock_retry.hpp"

#include <exception>
#include <string>

namespace sonamu {

class RetryPacer {
 public:
  explicit RetryPacer(EngineContext& context) : context_(context), delays_(context.settings.retry) {}

  /// Whether a failure with `sqlstate` of attempt `attempt` (from 1) is tried again.
  bool may_retry(const std::string& sqlstate, int attempt) const;
  /// Reports the failed attempt (`measuring`: of the measurement of the data at risk) and
  /// pauses, stopping early on a signal.
  void wait(Direction direction, const std::string& name, int attempt, const std::exception& e,
            const std::string& sqlstate, bool measuring = false);
  /// The attempts in all.
  int attempts() const { return context_.settings.retry.attempts; }

 private:
  EngineContext& context_;
  RetryDelays delays_;
};

}  // namespace sonamu
