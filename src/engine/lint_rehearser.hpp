#pragma once
/// `migrate lint`: the pending migrations (or the downs of what a rollback would revert)
/// rehearsed under the migration lock in a transaction that is rolled back, each statement
/// measured between its neighbours (locks taken, tables rewritten).

#include "engine/applied_records.hpp"
#include "engine/engine_context.hpp"
#include "engine/lint_rehearsal.hpp"
#include "engine/measuring_reporter.hpp"
#include "engine/rollback_guard.hpp"

#include <vector>

namespace sonamu {

class LintRehearser {
 public:
  LintRehearser(EngineContext& context, AppliedRecords& records, RollbackGuard& guard)
      : context_(context), records_(records), guard_(guard) {}

  LintRehearsal rehearse(const LintRequest& request);

 private:
  /// What `request` rehearses, on the records `applied`.
  std::vector<MigrationStep> steps(const LintRequest& request, const std::vector<AppliedMigration>& applied) const;
  /// Rehearses one migration into `measuring`; false when what follows cannot be rehearsed
  /// on what it left in `tx`.
  bool rehearse_step(const LintRequest& request, const MigrationStep& step, Transaction& tx,
                     MeasuringReporter& measuring);

  EngineContext& context_;
  AppliedRecords& records_;
  RollbackGuard& guard_;
};

}  // namespace sonamu
