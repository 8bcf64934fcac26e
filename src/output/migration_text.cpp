#include "output/migration_text.hpp"

#include "core/text.hpp"
#include "output/progress_text.hpp"

#include <vector>

namespace sonamu::cli {

namespace {

std::string lock_timeout_advice(const std::optional<LockWait>& wait) {
  std::vector<std::string> pids;
  if (wait) {
    for (const auto& holder : wait->holders) pids.push_back(std::to_string(holder.pid));
  }
  const std::string holders = pids.empty()          ? "the transaction that holds the lock"
                              : pids.size() == 1    ? "the transaction of pid " + pids[0]
                                                    : "the transactions of pids " + join(pids);
  return "   Its transaction was rolled back: nothing it did was kept. To go on, end " + holders +
         ", or give the lock more time with --lock-timeout-sql, and run the command again";
}

}  // namespace

std::string committed_batch_text(const BatchOutcome& batch, const Verbosity& verbosity, const Style& style) {
  const std::string line =
      batch_line(batch.direction, batch.batch.value_or(0), batch.migrations.size(), verbosity.dry_run);
  // The verbose log already named each migration; the documented log ends with the summary.
  if (verbosity.verbose) return "\n" + line + "\n";
  std::string text = line + "\n";
  for (const auto& migration : batch.migrations) text += ok_mark(style) + " " + migration.name + "\n";
  return text;
}

std::string failure_text(const MigrationFailure& failure, const Style& style) {
  std::string text = failed_line(failure.direction, failure.migration, style) + "\n   Error: " + failure.message + "\n";
  if (failure.blocked_by) {
    for (const auto& line : blocked_failure_lines(*failure.blocked_by)) text += line + "\n";
  }
  // A lock limit ended it: what that left, and the two ways on.
  if (failure.sqlstate == "55P03" && failure.in_transaction) text += lock_timeout_advice(failure.blocked_by) + "\n";
  return text;
}

std::string risk_text(const RiskOutcome& risk, const Style& style) {
  std::string text = data_at_risk_line(risk.risk, style) + "\n";
  // A measurement stopped by a lock names who held it, as a batch's failure does.
  if (risk.risk.kind == LossKind::unknown && risk.blocked_by) {
    for (const auto& line : blocked_failure_lines(*risk.blocked_by)) text += line + "\n";
  }
  return text;
}

std::string migration_text(const MigrationResult& result, const Verbosity& verbosity, const Style& style) {
  std::string text;
  for (const auto& risk : result.data_at_risk) text += risk_text(risk, style);
  for (const auto& batch : result.batches) {
    if (batch.committed && !verbosity.quiet) text += committed_batch_text(batch, verbosity, style);
  }
  if (result.failure) text += failure_text(*result.failure, style);
  return text;
}

std::string reverting_text(const std::vector<RecordToRevert>& records) {
  std::vector<std::string> batches;
  std::vector<std::string> names;
  for (const auto& record : records) {
    const std::string batch = std::to_string(record.batch);
    if (batches.empty() || batches.back() != batch) batches.push_back(batch);
    names.push_back(record.name);
  }
  std::string of = batches.size() == 1 ? "batch " + batches.front() : "batches ";
  for (std::size_t i = 0; batches.size() > 1 && i < batches.size(); ++i) {
    of += (i == 0 ? "" : i + 1 == batches.size() ? " and " : ", ") + batches[i];
  }
  return "It rolls back " + count_migrations(records.size()) + " of " + of + ": " + join(names);
}

}  // namespace sonamu::cli
