#pragma once
/// A reporter that passes every event on to another one. Reporters that watch the events
/// (count the statements, measure them) derive from it and override only what they watch, so
/// that an event added to Reporter later reaches the inner reporter without a line in each.

#include "core/reporter.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sonamu {

class ForwardingReporter : public Reporter {
 public:
  explicit ForwardingReporter(Reporter& inner) : inner_(inner) {}

  void migration_started(Direction direction, const std::string& name) override {
    inner_.migration_started(direction, name);
  }
  void statement(const std::string& sql, const std::vector<Param>& params) override { inner_.statement(sql, params); }
  void statement_finished(std::chrono::milliseconds elapsed) override { inner_.statement_finished(elapsed); }
  void measuring_statement(bool running) override { inner_.measuring_statement(running); }
  void lock_waiting(const LockWait& wait, std::chrono::milliseconds waited) override {
    inner_.lock_waiting(wait, waited);
  }
  void migration_lock_wait(const std::optional<MigrationLockWait>& wait) override { inner_.migration_lock_wait(wait); }
  void lock_retry(Direction direction, const std::string& name, const LockRetry& retry) override {
    inner_.lock_retry(direction, name, retry);
  }
  void batch_started(Direction direction, int batch, const std::vector<std::string>& names) override {
    inner_.batch_started(direction, batch, names);
  }
  void migration_finished(Direction direction, const std::string& name, std::chrono::milliseconds elapsed) override {
    inner_.migration_finished(direction, name, elapsed);
  }
  void migration_failed(Direction direction, const std::string& name, const std::string& message,
                        const std::string& sqlstate) override {
    inner_.migration_failed(direction, name, message, sqlstate);
  }
  void batch_committed(Direction direction, int batch, const std::vector<std::string>& names) override {
    inner_.batch_committed(direction, batch, names);
  }
  void batch_in_parts(Direction direction, int batch,
                      const std::vector<std::pair<bool, std::vector<std::string>>>& parts) override {
    inner_.batch_in_parts(direction, batch, parts);
  }
  void batch_partly_done(Direction direction, int batch, const std::vector<std::string>& done,
                         const std::vector<std::string>& not_done) override {
    inner_.batch_partly_done(direction, batch, done, not_done);
  }
  void migration_skipped(Direction direction, const std::string& name, const std::string& reason) override {
    inner_.migration_skipped(direction, name, reason);
  }
  void data_at_risk(const std::vector<DataAtRisk>& risks) override { inner_.data_at_risk(risks); }
  void verify_holds_locks(const std::optional<std::string>& lock_timeout,
                          const std::optional<std::string>& statement_timeout) override {
    inner_.verify_holds_locks(lock_timeout, statement_timeout);
  }
  void verified(const std::string& name, const std::vector<std::string>& left_behind,
                const std::vector<std::string>& missing) override {
    inner_.verified(name, left_behind, missing);
  }
  void data_checked(const std::string& name, const DataCheck& check,
                    const std::optional<std::string>& declared_lossy) override {
    inner_.data_checked(name, check, declared_lossy);
  }
  void nothing_to_do(Direction direction) override { inner_.nothing_to_do(direction); }
  void nothing_after(const std::string& name) override { inner_.nothing_after(name); }
  void late_migrations(const std::vector<std::string>& names, const std::string& newest_applied) override {
    inner_.late_migrations(names, newest_applied);
  }
  void all_rolled_back() override { inner_.all_rolled_back(); }
  void rollback_all_stopped(const std::vector<int>& done_batches, int failed_batch) override {
    inner_.rollback_all_stopped(done_batches, failed_batch);
  }

 protected:
  Reporter& inner_;
};

}  // namespace sonamu
