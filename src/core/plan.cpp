#include "core/plan.hpp"

#include "core/error.hpp"
#include "core/migration_name.hpp"

#include <algorithm>
#include <limits>
#include <unordered_set>

namespace sonamu {

namespace {

std::unordered_set<std::string> applied_stems(const std::vector<AppliedMigration>& applied) {
  std::unordered_set<std::string> stems;
  stems.reserve(applied.size());
  for (const auto& row : applied) stems.insert(row.stem);
  return stems;
}

std::vector<AppliedMigration> sorted_by_id_descending(std::vector<AppliedMigration> rows) {
  std::sort(rows.begin(), rows.end(),
            [](const AppliedMigration& a, const AppliedMigration& b) { return a.id > b.id; });
  return rows;
}

}  // namespace

namespace {

int highest_batch(const std::vector<AppliedMigration>& applied) {
  int highest = 0;
  for (const auto& row : applied) highest = std::max(highest, row.batch);
  return highest;
}

/// The batch of a plan: only a plan that records something needs a new number.
int batch_for(const RunPlan& plan, const std::vector<AppliedMigration>& applied) {
  if (plan.stems.empty() && highest_batch(applied) == std::numeric_limits<int>::max()) {
    return std::numeric_limits<int>::max();
  }
  return next_batch(applied);
}

}  // namespace

int next_batch(const std::vector<AppliedMigration>& applied) {
  const int highest = highest_batch(applied);
  if (highest == std::numeric_limits<int>::max()) {
    // knex's batch column is an integer: one more would wrap to the smallest, and the next
    // rollback would take an older batch for the newest.
    throw Error(ExitCode::mismatch, "The migration table's highest batch number is " + std::to_string(highest) +
                                        ", the largest its integer column holds; renumber the batches "
                                        "(keeping their order) before recording another");
  }
  return highest + 1;
}

std::vector<std::string> recorded_but_unknown(const std::vector<std::string>& known,
                                              const std::vector<AppliedMigration>& applied) {
  std::vector<std::string> unknown;
  for (const auto& row : applied) {
    if (!std::binary_search(known.begin(), known.end(), row.stem)) unknown.push_back(row.name);
  }
  return unknown;
}

std::vector<std::string> pending(const std::vector<std::string>& known,
                                 const std::vector<AppliedMigration>& applied) {
  const auto done = applied_stems(applied);
  std::vector<std::string> result;
  for (const auto& stem : known) {
    if (done.count(stem) == 0) result.push_back(stem);
  }
  return result;
}

RunPlan plan_run(const std::vector<std::string>& known,
                 const std::vector<AppliedMigration>& applied,
                 const std::optional<std::string>& to) {
  RunPlan plan{0, pending(known, applied)};
  if (!to) {
    plan.batch = batch_for(plan, applied);
    return plan;
  }

  const std::string target = migration_stem(*to);
  if (!std::binary_search(known.begin(), known.end(), target)) {
    throw Error(ExitCode::usage, "Unknown migration for --to: '" + *to + "'");
  }
  const auto it = std::find(plan.stems.begin(), plan.stems.end(), target);
  if (it == plan.stems.end()) {
    throw Error(ExitCode::usage, "Migration '" + *to + "' given to --to is already applied");
  }
  plan.stems.erase(it + 1, plan.stems.end());
  plan.batch = batch_for(plan, applied);
  return plan;
}

RunPlan plan_up(const std::vector<std::string>& known,
                const std::vector<AppliedMigration>& applied) {
  RunPlan plan{0, pending(known, applied)};
  if (plan.stems.size() > 1) plan.stems.resize(1);
  plan.batch = batch_for(plan, applied);
  return plan;
}

RollbackPlan plan_rollback(const std::vector<AppliedMigration>& applied) {
  if (applied.empty()) return {};
  const int latest = highest_batch(applied);
  RollbackPlan plan{latest, {}};
  for (const auto& row : applied) {
    if (row.batch == latest) plan.migrations.push_back(row);
  }
  plan.migrations = sorted_by_id_descending(std::move(plan.migrations));
  return plan;
}

std::vector<RollbackPlan> plan_rollback_all(const std::vector<AppliedMigration>& applied) {
  std::vector<RollbackPlan> plans;
  auto groups = group_by_batch(applied);
  for (auto it = groups.rbegin(); it != groups.rend(); ++it) {
    plans.push_back(RollbackPlan{it->batch, sorted_by_id_descending(std::move(it->migrations))});
  }
  return plans;
}

RollbackPlan plan_down(const std::vector<AppliedMigration>& applied) {
  if (applied.empty()) return {};
  const auto newest = std::max_element(
      applied.begin(), applied.end(),
      [](const AppliedMigration& a, const AppliedMigration& b) { return a.id < b.id; });
  return RollbackPlan{newest->batch, {*newest}};
}

namespace {

/// One batch number for the plan, or 0 when it spans several.
RollbackPlan spanning(std::vector<AppliedMigration> rows) {
  RollbackPlan plan{rows.empty() ? 0 : rows.front().batch, sorted_by_id_descending(std::move(rows))};
  for (const auto& row : plan.migrations) {
    if (row.batch != plan.batch) plan.batch = 0;
  }
  return plan;
}

}  // namespace

RollbackPlan plan_rollback_to(const std::vector<AppliedMigration>& applied, const std::string& name) {
  const std::string stem = migration_stem(name);
  const auto target = std::find_if(applied.begin(), applied.end(),
                                   [&](const AppliedMigration& row) { return row.stem == stem; });
  if (target == applied.end()) {
    throw Error(ExitCode::usage, "Migration '" + name + "' given to --to is not applied");
  }
  std::vector<AppliedMigration> after;
  for (const auto& row : applied) {
    if (row.id > target->id) after.push_back(row);
  }
  return spanning(std::move(after));
}

RollbackPlan plan_rollback_steps(const std::vector<AppliedMigration>& applied, int steps) {
  if (steps < 1) throw Error(ExitCode::usage, "--step needs a number of migrations of at least 1");
  auto newest = sorted_by_id_descending(applied);
  if (newest.size() > static_cast<std::size_t>(steps)) newest.resize(static_cast<std::size_t>(steps));
  return spanning(std::move(newest));
}

std::vector<BatchGroup> group_by_batch(const std::vector<AppliedMigration>& applied) {
  std::vector<AppliedMigration> rows = applied;
  std::sort(rows.begin(), rows.end(), [](const AppliedMigration& a, const AppliedMigration& b) {
    return a.batch != b.batch ? a.batch < b.batch : a.id < b.id;
  });
  std::vector<BatchGroup> groups;
  for (auto& row : rows) {
    if (groups.empty() || groups.back().batch != row.batch) groups.push_back({row.batch, {}});
    groups.back().migrations.push_back(std::move(row));
  }
  return groups;
}

}  // namespace sonamu
