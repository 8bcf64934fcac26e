#pragma once
/// A reporter that measures every statement a migration sends (the StatementMeter read just
/// before and just after it) and passes every event on: what the lint report is made of, in
/// `migrate lint` and in a dry run.

#include "core/reporter.hpp"
#include "core/statement_meter.hpp"
#include "engine/lint_rehearsal.hpp"

#include <functional>
#include <string>
#include <vector>

namespace sonamu {

/// Whether a statement may touch one of the tables named (else it is not measured).
using MeasureFilter = std::function<bool(const std::string& sql, const std::vector<std::string>& existing)>;

class MeasuringReporter final : public Reporter {
 public:
  /// Events go on to `inner`; the measured migrations are appended to `migrations`. With
  /// `filter`, a statement it clears of touching any existing table is listed unmeasured
  /// (the meter's reads cost more as the transaction holds more locks).
  MeasuringReporter(Reporter& inner, StatementMeter& meter, std::vector<MeasuredMigration>& migrations,
                    MeasureFilter filter = {});

  /// The statements sent from now on belong to a new migration `name`; returns it.
  MeasuredMigration& begin(const std::string& name);
  /// The current migration stopped on `message`: the statement that failed measured nothing
  /// (the transaction is aborted) and is left out.
  void fail(const std::string& message);

  void statement(const std::string& sql, const std::vector<Param>& params) override;
  void statement_finished(std::chrono::milliseconds elapsed) override;

  void migration_started(Direction direction, const std::string& name) override;
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
  void data_checked(const std::string& name, const DataCheck& check,
                    const std::optional<std::string>& declared_lossy) override;
  void nothing_to_do(Direction direction) override;
  void nothing_after(const std::string& name) override;
  void late_migrations(const std::vector<std::string>& names, const std::string& newest_applied) override;
  void all_rolled_back() override;
  void rollback_all_stopped(const std::vector<int>& done_batches, int failed_batch) override;

 private:
  Reporter& inner_;
  StatementMeter& meter_;
  std::vector<MeasuredMigration>& migrations_;
  MeasureFilter filter_;
  std::vector<std::string> existing_names_;
  bool open_ = false;  ///< a statement was announced and has not completed
};

}  // namespace sonamu
