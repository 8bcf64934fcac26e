#pragma once
/// Which migrations to apply or revert, and in which batch: pure functions of the compiled
/// migrations and the rows of the bookkeeping table, with no database and no output.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sonamu {

/// One row of the bookkeeping table.
struct AppliedMigration {
  std::int64_t id = 0;
  std::string name;  ///< as recorded, possibly `.ts` or `.js` from another tool
  std::string stem;  ///< `name` without its extension: the migration's identity
  int batch = 0;
  std::string migration_time;  ///< ISO 8601 as recorded, empty when unknown
};

/// Migrations to apply, in order, as batch `batch`.
struct RunPlan {
  int batch = 0;
  std::vector<std::string> stems;
};

/// Migrations to revert, newest first, all from batch `batch`.
struct RollbackPlan {
  int batch = 0;
  std::vector<AppliedMigration> migrations;
};

/// Applied migrations of one batch, oldest first.
struct BatchGroup {
  int batch = 0;
  std::vector<AppliedMigration> migrations;
};

/// The batch number a new run gets: one more than the highest recorded (1 when empty).
int next_batch(const std::vector<AppliedMigration>& applied);

/// Names of recorded migrations that are not compiled in, in recorded order.
/// `known` must be sorted.
std::vector<std::string> recorded_but_unknown(const std::vector<std::string>& known,
                                              const std::vector<AppliedMigration>& applied);

/// Compiled migrations that are not recorded, in name order. `known` must be sorted.
std::vector<std::string> pending(const std::vector<std::string>& known,
                                 const std::vector<AppliedMigration>& applied);

/// `migrate run`: every pending migration, or those up to and including `to`.
/// Throws sonamu::Error (usage) when `to` is unknown or already applied.
RunPlan plan_run(const std::vector<std::string>& known,
                 const std::vector<AppliedMigration>& applied,
                 const std::optional<std::string>& to = std::nullopt);

/// `migrate up`: the first pending migration, as a batch of its own.
RunPlan plan_up(const std::vector<std::string>& known,
                const std::vector<AppliedMigration>& applied);

/// `migrate rollback`: every migration of the latest batch, newest (highest id) first.
RollbackPlan plan_rollback(const std::vector<AppliedMigration>& applied);

/// `migrate rollback --all`: every batch, newest first, each newest migration first.
std::vector<RollbackPlan> plan_rollback_all(const std::vector<AppliedMigration>& applied);

/// `migrate down`: the single most recently applied migration (highest id).
RollbackPlan plan_down(const std::vector<AppliedMigration>& applied);

/// `migrate rollback --to NAME`: every migration applied after NAME (by id), newest first;
/// NAME itself stays. `batch` is 0 when they come from several batches.
/// Throws sonamu::Error (usage) when NAME is not applied.
RollbackPlan plan_rollback_to(const std::vector<AppliedMigration>& applied, const std::string& name);

/// `migrate rollback --step N`: the N most recently applied migrations, newest first.
/// `batch` is 0 when they come from several batches. Throws sonamu::Error (usage) for N < 1.
RollbackPlan plan_rollback_steps(const std::vector<AppliedMigration>& applied, int steps);

/// `migrate status`: the applied migrations grouped by batch, batches ascending, each in
/// the order it was applied (by id).
std::vector<BatchGroup> group_by_batch(const std::vector<AppliedMigration>& applied);

}  // namespace sonamu
