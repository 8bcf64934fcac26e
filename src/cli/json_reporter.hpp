#pragma once
/// `--json`: the events of a command collected into one JSON document for scripts and CI.

#include "core/reporter.hpp"

#include <nlohmann/json.hpp>

#include <optional>

namespace sonamu::cli {

/// Collects the batches and migrations of a run or rollback; prints nothing.
class JsonReporter final : public Reporter {
 public:
  void migration_started(Direction direction, const std::string& name) override;
  void statement(const std::string&, const std::vector<Param>&) override { wait_.reset(); }
  void statement_finished(std::chrono::milliseconds) override { wait_.reset(); }
  void measuring_statement(bool) override { wait_.reset(); }
  void lock_waiting(const LockWait& wait, std::chrono::milliseconds) override { wait_ = wait; }
  void lock_retry(Direction direction, const std::string& name, const LockRetry& retry) override;
  void migration_finished(Direction direction, const std::string& name,
                          std::chrono::milliseconds elapsed) override;
  void migration_failed(Direction direction, const std::string& name, const std::string& message,
                        const std::string& sqlstate) override;
  void batch_committed(Direction direction, int batch,
                       const std::vector<std::string>& names) override;
  void batch_in_parts(Direction direction, int batch,
                      const std::vector<std::pair<bool, std::vector<std::string>>>& parts) override;
  void batch_partly_done(Direction direction, int batch, const std::vector<std::string>& done,
                         const std::vector<std::string>& not_done) override;
  void migration_skipped(Direction, const std::string& name, const std::string& reason) override {
    skipped_.push_back({{"name", name}, {"reason", reason}});
  }
  void data_at_risk(const std::vector<DataAtRisk>& risks) override;
  void verified(const std::string&, const std::vector<std::string>&, const std::vector<std::string>&) override {}
  void nothing_to_do(Direction) override {}
  void all_rolled_back() override {}
  void rollback_all_stopped(const std::vector<int>&, int) override {}

  /// The `batches` array and, after a failure, the `error` object.
  const nlohmann::json& batches() const { return batches_; }
  const nlohmann::json& error() const { return error_; }
  const nlohmann::json& skipped() const { return skipped_; }
  const nlohmann::json& data_at_risk() const { return risks_; }
  /// The attempts that failed on a lock conflict and were tried again.
  const nlohmann::json& lock_retries() const { return retries_; }

 private:
  nlohmann::json& open_batch(Direction direction);
  /// The entry of a data at risk that could not be measured, naming the lock that stopped it.
  nlohmann::json unmeasured(const DataAtRisk& risk);
  /// Whether `entry` (a migration of current_) ran in the same part of the batch as `name`:
  /// in the same transaction, so rolled back with it.
  bool same_part(const nlohmann::json& entry, const std::string& name) const;
  nlohmann::json batches_ = nlohmann::json::array();
  nlohmann::json current_ = nlohmann::json::array();  ///< migrations of the batch in progress
  nlohmann::json error_ = nullptr;
  nlohmann::json skipped_ = nlohmann::json::array();
  nlohmann::json risks_ = nlohmann::json::array();
  nlohmann::json retries_ = nlohmann::json::array();
  std::string current_name_;
  /// The parts of the batch in progress when it runs in several (else empty: one part).
  std::vector<std::vector<std::string>> parts_;
  std::optional<LockWait> wait_;  ///< what the running statement waits for
};

}  // namespace sonamu::cli
