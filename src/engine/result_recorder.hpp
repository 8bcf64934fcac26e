#pragma once
/// Collects a command's events into its MigrationResult while passing each one on, so that the
/// terminal still shows them as they happen. The single command and every target of a fleet
/// put one in front of their reporter and read the value once the command returned.

#include "core/forwarding_reporter.hpp"
#include "core/migration_result.hpp"

#include <optional>
#include <string>
#include <vector>

namespace sonamu {

class ResultRecorder final : public ForwardingReporter {
 public:
  explicit ResultRecorder(Reporter& inner) : ForwardingReporter(inner) {}

  void statement(const std::string& sql, const std::vector<Param>& params) override;
  void statement_finished(std::chrono::milliseconds elapsed) override;
  void measuring_statement(bool running) override;
  void lock_waiting(const LockWait& wait, std::chrono::milliseconds waited) override;
  void lock_retry(Direction direction, const std::string& name, const LockRetry& retry) override;
  void migration_finished(Direction direction, const std::string& name, std::chrono::milliseconds elapsed) override;
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
  void data_checked(const std::string& name, const DataCheck& check,
                    const std::optional<std::string>& declared_lossy) override;

  /// What was collected so far, ended with `code`.
  MigrationResult result(ExitCode code) const;

 private:
  /// Whether `entry` ran in the same part of the batch as `name`: in the same transaction, so
  /// rolled back with it.
  bool same_part(const MigrationOutcome& entry, const std::string& name) const;

  MigrationResult result_;
  std::vector<MigrationOutcome> current_;  ///< migrations of the batch in progress
  /// The parts of the batch in progress when it runs in several (else empty: one part).
  std::vector<std::vector<std::string>> parts_;
  std::vector<std::string> outside_transaction_;  ///< of the batch in progress
  std::optional<LockWait> wait_;  ///< what the running statement waits for
};

}  // namespace sonamu
