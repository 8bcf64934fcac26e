#pragma once
/// The value every command that a fleet can run returns, alone or on one target of a fleet:
/// its exit code and what it read or did. Text, JSON, a fleet's table and the exit code are
/// written from it, once each.

#include "core/exit_code.hpp"
#include "core/fleet.hpp"
#include "core/migration_result.hpp"
#include "engine/migrator.hpp"

#include <optional>
#include <vector>

namespace sonamu {

struct CommandResult {
  /// What the command is about, which says which of the fields below it filled.
  enum class Kind { migrate, verify, status, history };

  Kind kind = Kind::migrate;
  ExitCode code = ExitCode::ok;
  std::optional<MigrationResult> migration;           ///< migrate (run, up, rollback, down), verify
  std::optional<StatusReport> status;                 ///< status
  std::optional<std::vector<HistoryRecord>> history;  ///< history

  /// The database was left as it was found because there was nothing to do: a status with
  /// nothing pending or edited, a run or rollback that had no batch to run. Reading history
  /// and verifying always did something.
  bool changed_nothing() const {
    switch (kind) {
      case Kind::status: return !status->behind();
      case Kind::migrate: return migration->batches.empty();
      case Kind::verify:
      case Kind::history: return false;
    }
    return false;
  }
};

/// What a target's command returned, beyond its outcome.
struct TargetReport {
  TargetResult result;
  /// What the command returned; unset when it failed before returning (no connection, a
  /// refusal, a signal).
  std::optional<CommandResult> value;
  std::vector<DataAtRisk> risks;          ///< what a rollback deletes
  std::vector<RecordToRevert> to_revert;  ///< the records a rollback reverts (or would)
};

}  // namespace sonamu
