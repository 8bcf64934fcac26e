#pragma once
/// What a command that runs migrations did, as one value: the batches with each migration's
/// outcome, the failure, what was skipped, the data at risk, the attempts repeated after a lock
/// conflict and, for `verify`, each migration's comparison. The engine's events are collected
/// into it (engine/result_recorder.hpp); text, JSON and a fleet's table are written from it.

#include "core/data_check.hpp"
#include "core/data_loss.hpp"
#include "core/exit_code.hpp"
#include "core/lock_wait.hpp"
#include "core/reporter.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace sonamu {

/// What became of one migration of a batch.
enum class MigrationStatus {
  applied,                 ///< its up ran and its batch was committed
  rolled_back,             ///< its down ran and its batch was committed
  rolled_back_with_batch,  ///< it ran, but a later migration of its transaction failed
  failed,                  ///< it failed: its transaction was rolled back
};

struct MigrationOutcome {
  std::string name;
  MigrationStatus status = MigrationStatus::applied;
  std::optional<std::chrono::milliseconds> duration;  ///< unset for the migration that failed
};

/// One batch: committed, or ended by a failure (then `batch` is set only when a part of it
/// was committed before the failure, in a batch run in parts).
struct BatchOutcome {
  std::optional<int> batch;
  Direction direction = Direction::up;
  bool committed = false;
  std::vector<MigrationOutcome> migrations;
};

/// The migration that failed and why; with the sessions that held the lock it waited for
/// when a lock limit ended it.
struct MigrationFailure {
  std::string migration;
  Direction direction = Direction::up;
  std::string sqlstate;  ///< empty when the failure did not come from the server
  std::string message;
  std::optional<LockWait> blocked_by;
  /// It ran in a transaction, now rolled back; false for a migration run without one, whose
  /// statements before the failing one stay.
  bool in_transaction = true;
  /// A batch in parts stopped: which migrations stay recorded as applied and which do not.
  bool partly_done = false;
  std::vector<std::string> recorded;
  std::vector<std::string> not_recorded;
};

/// A table or column a rollback deletes; a measurement stopped by a lock names who held it.
struct RiskOutcome {
  DataAtRisk risk;
  std::optional<LockWait> blocked_by;
};

/// An attempt that failed on a lock conflict and was tried again.
struct RetryOutcome {
  std::string migration;
  Direction direction = Direction::up;
  LockRetry retry;
  std::optional<LockWait> blocked_by;
};

struct SkippedMigration {
  std::string name;
  std::string reason;
};

/// `verify` of one migration: the catalog's differences after down, and the data compared.
struct VerifiedMigration {
  std::string name;
  std::vector<std::string> left_behind;
  std::vector<std::string> missing;
  std::optional<DataCheck> data;
  std::optional<std::string> declared_lossy;
};

/// Everything a run, up, rollback, down or verify did, and the exit code it ended with.
struct MigrationResult {
  ExitCode code = ExitCode::ok;
  std::vector<BatchOutcome> batches;
  std::optional<MigrationFailure> failure;
  std::vector<SkippedMigration> skipped;
  std::vector<RiskOutcome> data_at_risk;
  std::vector<RetryOutcome> lock_retries;
  std::vector<VerifiedMigration> verified;
};

}  // namespace sonamu
