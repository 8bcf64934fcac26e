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

void CountingReporter::migration_started(Direction direction, const std::string& name) {
  inner_.migration_started(direction, name);
}
void CountingReporter::statement(const std::string& sql, const std::vector<Param>& params) {
  ++statements_;
  inner_.statement(sql, params);
}
void CountingReporter::statement_finished(std::chrono::milliseconds elapsed) { inner_.statement_finished(elapsed); }
void CountingReporter::lock_waiting(const LockWait& wait, std::chrono::milliseconds waited) {
  inner_.lock_waiting(wait, waited);
}
void CountingReporter::lock_retry(Direction direction, const std::string& name, const LockRetry& retry) {
  inner_.lock_retry(direction, name, retry);
}
void CountingReporter::batch_started(Direction direction, int batch, const std::vector<std::string>& names) {
  inner_.batch_started(direction, batch, names);
}
void CountingReporter::migration_finished(Direction direction, const std::string& name,
                                          std::chrono::milliseconds elapsed) {
  inner_.migration_finished(direction, name, elapsed);
}
void CountingReporter::migration_failed(Direction direction, const std::string& name, const std::string& message,
                                        const std::string& sqlstate) {
  inner_.migration_failed(direction, name, message, sqlstate);
}
void CountingReporter::batch_committed(Direction direction, int batch, const std::vector<std::string>& names) {
  inner_.batch_committed(direction, batch, names);
}
void CountingReporter::batch_in_parts(Direction direction, int batch,
                                      const std::vector<std::pair<bool, std::vector<std::string>>>& parts) {
  inner_.batch_in_parts(direction, batch, parts);
}
void CountingReporter::batch_partly_done(Direction direction, int batch, const std::vector<std::string>& done,
                                         const std::vector<std::string>& not_done) {
  inner_.batch_partly_done(direction, batch, done, not_done);
}
void CountingReporter::migration_skipped(Direction direction, const std::string& name, const std::string& reason) {
  inner_.migration_skipped(direction, name, reason);
}
void CountingReporter::data_at_risk(const std::vector<DataAtRisk>& risks) { inner_.data_at_risk(risks); }
void CountingReporter::verified(const std::string& name, const std::vector<std::string>& left_behind,
                                const std::vector<std::string>& missing) {
  inner_.verified(name, left_behind, missing);
}
void CountingReporter::nothing_to_do(Direction direction) { inner_.nothing_to_do(direction); }
void CountingReporter::nothing_after(const std::string& name) { inner_.nothing_after(name); }
void CountingReporter::late_migrations(const std::vector<std::string>& names, const std::string& newest_applied) {
  inner_.late_migrations(names, newest_applied);
}
void CountingReporter::all_rolled_back() { inner_.all_rolled_back(); }
void CountingReporter::rollback_all_stopped(const std::vector<int>& done_batches, int failed_batch) {
  inner_.rollback_all_stopped(done_batches, failed_batch);
}

}  // namespace sonamu
