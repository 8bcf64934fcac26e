#pragma once
/// Trying a batch again after a lock timeout or a deadlock: how long to pause, how to pause,
/// and how many statements an attempt sent (a migration run without a transaction is tried
/// again only when nothing of it can have taken effect).

#include "core/reporter.hpp"

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

/// Forwards every event to `inner`, counting the statements sent.
class CountingReporter final : public Reporter {
 public:
  explicit CountingReporter(Reporter& inner) : inner_(inner) {}
  std::size_t statements() const { return statements_; }

  void migration_started(Direction direction, const std::string& name) override;
  void statement(const std::string& sql, const std::vector<Param>& params) override;
  void statement_finished(std::chrono::milliseconds elapsed) override;
  void lock_waiting(const LockWait& wait, std::chrono::milliseconds waited) override;
  void lock_retry(Direction direction, const std::string& name, const LockRetry& retry) override;
  void batch_started(Direction direction, int batch, const std::vector<std::string>& names) override;
  void migration_finished(Direction direction, const std::string& name,
                          std::chrono::milliseconds elapsed) override;
  void migration_failed(Direction direction, const std::string& name, const std::string& message,
                        const std::string& sqlstate) override;
  void batch_committed(Direction direction, int batch, const std::vector<std::string>& names) override;
  void batch_in_parts(Direction direction, int batch,
                      const std::vector<std::pair<bool, std::vector<std::string>>>& parts) override;
  void batch_partly_done(Direction direction, int batch, const std::vector<std::string>& done,
                         const std::vector<std::string>& not_done) override;
  void migration_skipped(Direction direction, const std::string& name, const std::string& reason) override;
  void data_at_risk(const std::vector<DataAtRisk>& risks) override;
  void verified(const std::string& name, const std::vector<std::string>& left_behind,
                const std::vector<std::string>& missing) override;
  void nothing_to_do(Direction direction) override;
  void nothing_after(const std::string& name) override;
  void late_migrations(const std::vector<std::string>& names, const std::string& newest_applied) override;
  void all_rolled_back() override;
  void rollback_all_stopped(const std::vector<int>& done_batches, int failed_batch) override;

 private:
  Reporter& inner_;
  std::size_t statements_ = 0;
};

}  // namespace sonamu
