#include "engine/retry_pacer.hpp"

#include "core/interrupt.hpp"

#include <spdlog/spdlog.h>

namespace sonamu {

bool RetryPacer::may_retry(const std::string& sqlstate, int attempt) const {
  // A dry run is one transaction from its first read: it is not repeated, only reported.
  return lock_conflict(sqlstate) && !context_.settings.dry_run && attempt < attempts() && interrupt_signal() == 0;
}

void RetryPacer::wait(Direction direction, const std::string& name, int attempt, const std::exception& e,
                      const std::string& sqlstate, bool measuring) {
  const auto delay = delays_.after(attempt);
  context_.reporter.lock_retry(direction, name, {attempt, attempts(), delay, sqlstate, e.what(), measuring});
  spdlog::debug("attempt {} of {} failed ({}): trying again in {} ms", attempt, attempts(), sqlstate,
                delay.count());
  if (context_.settings.pause) {
    context_.settings.pause(delay);
  } else {
    pause_interruptibly(delay);
  }
}

}  // namespace sonamu
