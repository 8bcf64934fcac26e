#pragma once
/// A reporter that measures every statement a migration sends (the StatementMeter read just
/// before and just after it) and passes every event on: what the lint report is made of, in
/// `migrate lint` and in a dry run.

#include "core/forwarding_reporter.hpp"
#include "core/statement_meter.hpp"
#include "engine/lint_rehearsal.hpp"

#include <functional>
#include <string>
#include <vector>

namespace sonamu {

/// Whether a statement may touch one of the tables named (else it is not measured).
using MeasureFilter = std::function<bool(const std::string& sql, const std::vector<std::string>& existing)>;

class MeasuringReporter final : public ForwardingReporter {
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

 private:
  StatementMeter& meter_;
  std::vector<MeasuredMigration>& migrations_;
  MeasureFilter filter_;
  std::vector<std::string> existing_names_;
  bool open_ = false;  ///< a statement was announced and has not completed
};

}  // namespace sonamu
