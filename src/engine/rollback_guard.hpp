#pragma once
/// What stands between a rollback and the data it deletes: production's limit on how much one
/// command reverts, the measurement of the data at risk, the question to a person (during
/// which the migration lock is given up, so nobody waits on the answer), and the checks that
/// what runs is what was confirmed.

#include "core/plan.hpp"
#include "engine/engine_context.hpp"
#include "engine/retry_pacer.hpp"

#include <memory>
#include <string>
#include <vector>

namespace sonamu {

class RollbackGuard {
 public:
  RollbackGuard(EngineContext& context, RetryPacer& pacer) : context_(context), pacer_(pacer) {}

  /// Takes the migration lock for the whole rollback command.
  void lock_for_command();
  /// Gives the lock up at the end of the command, however it ends.
  void end_command();
  /// `plan`, unless production forbids it: throws sonamu::Error (usage)
  /// (engine/production_guard.cpp).
  RollbackPlan guarded(RollbackPlan plan) const;
  /// Measures, reports and (through the settings) confirms what the downs of `steps` delete,
  /// then calls before_revert. Throws sonamu::Error when the rollback is cancelled or refused.
  void check_data_loss(const std::vector<MigrationStep>& steps);
  /// Throws sonamu::Error (locked) if the lock was given up while asking and `now` is not
  /// what was confirmed (engine/confirmation_lock.cpp).
  void check_unchanged(const std::vector<MigrationStep>& confirmed, const std::vector<MigrationStep>& now);
  /// Whether the lock was given up (and taken again) since the records were read.
  bool lock_was_released() const { return lock_released_; }

 private:
  /// Tells records_to_revert what `steps` revert, and throws sonamu::Error (locked) if they
  /// are not the confirmed_records (engine/confirmation_lock.cpp).
  void check_confirmed_before(const std::vector<MigrationStep>& steps) const;
  /// After a question: a session the server ended meanwhile stops the command, said plainly.
  void refuse_if_session_ended();
  /// What the downs of `steps` delete, measured again after a lock conflict as a batch is
  /// tried again; a single entry of kind LossKind::unknown when it could not be measured
  /// (engine/risk_measurement.cpp).
  std::vector<DataAtRisk> measure_data_at_risk(const std::vector<MigrationStep>& steps);
  /// One attempt of it; `running` names the down under way when it throws.
  std::vector<DataAtRisk> measure_once(const std::vector<MigrationStep>& steps, std::string& running);
  /// Asks about `risks`, the lock given up while a person may be answering.
  void confirm(const std::vector<DataAtRisk>& risks);

  EngineContext& context_;
  RetryPacer& pacer_;
  std::unique_ptr<MigrationLock> lock_;  ///< the migration lock of the rollback command
  bool lock_released_ = false;  ///< the lock was given up and taken again since the records were read
};

}  // namespace sonamu
