#include "output/migration_json.hpp"

#include "output/documents.hpp"

namespace sonamu::cli {

namespace {

const char* direction_name(Direction direction) { return direction == Direction::up ? "up" : "down"; }

const char* status_name(MigrationStatus status) {
  switch (status) {
    case MigrationStatus::applied: return "applied";
    case MigrationStatus::rolled_back: return "rolled_back";
    case MigrationStatus::rolled_back_with_batch: return "rolled_back_with_batch";
    case MigrationStatus::failed: return "failed";
  }
  return "failed";
}

/// The sessions that held the lock a statement waited for.
nlohmann::json holders_json(const std::optional<LockWait>& wait) {
  nlohmann::json holders = nlohmann::json::array();
  if (!wait) return holders;
  for (const auto& holder : wait->holders) {
    holders.push_back({{"pid", holder.pid},
                       {"application", holder.application},
                       {"state", holder.state},
                       {"since", holder.since},
                       {"query", holder.query}});
  }
  return holders;
}

nlohmann::json waited_for(const LockWait& wait) {
  return {{"relation", text_or_null(wait.relation)}, {"mode", wait.mode}};
}

nlohmann::json risk_json(const RiskOutcome& outcome) {
  const DataAtRisk& risk = outcome.risk;
  if (risk.kind != LossKind::unknown) {
    nlohmann::json entry = {{"object", risk.display}, {"kind", loss_kind_name(risk.kind)}, {"count", risk.count},
                            {"estimated", risk.estimated}};
    if (risk.kind == LossKind::type_change) {
      entry["from_type"] = risk.from_type;
      entry["to_type"] = risk.to_type;
    }
    return entry;
  }
  // No count: the data at risk is not known, which is not zero.
  nlohmann::json entry = {{"object", risk.display},       {"kind", loss_kind_name(risk.kind)},
                          {"count", nullptr},             {"estimated", false},
                          {"reason", risk.reason},        {"sqlstate", text_or_null(risk.sqlstate)},
                          {"attempts", risk.attempts},    {"blocked_by", holders_json(outcome.blocked_by)}};
  if (outcome.blocked_by) entry["waited_for"] = waited_for(*outcome.blocked_by);
  return entry;
}

nlohmann::json retry_json(const RetryOutcome& outcome) {
  const LockRetry& retry = outcome.retry;
  return {{"migration", outcome.migration},
          {"direction", direction_name(outcome.direction)},
          {"attempt", retry.attempt},
          {"attempts", retry.attempts},
          {"sqlstate", retry.sqlstate},
          {"message", retry.message},
          {"delay_ms", retry.delay.count()},
          {"blocked_by", holders_json(outcome.blocked_by)},
          {"waited_for", outcome.blocked_by ? waited_for(*outcome.blocked_by) : nlohmann::json(nullptr)},
          {"measuring", retry.measuring}};
}

nlohmann::json failure_json(const std::optional<MigrationFailure>& failure) {
  if (!failure) return nullptr;
  nlohmann::json error = {{"migration", failure->migration},
                          {"direction", direction_name(failure->direction)},
                          {"sqlstate", text_or_null(failure->sqlstate)},
                          {"message", failure->message},
                          {"blocked_by", holders_json(failure->blocked_by)}};
  // The sessions that held the lock this statement waited for until the limit ended it.
  if (failure->blocked_by) error["waited_for"] = waited_for(*failure->blocked_by);
  if (failure->partly_done) {
    error["recorded"] = failure->recorded;
    error["not_recorded"] = failure->not_recorded;
  }
  return error;
}

}  // namespace

nlohmann::json batches_json(const MigrationResult& result) {
  nlohmann::json batches = nlohmann::json::array();
  for (const auto& batch : result.batches) {
    nlohmann::json migrations = nlohmann::json::array();
    for (const auto& migration : batch.migrations) {
      migrations.push_back(
          {{"name", migration.name},
           {"status", status_name(migration.status)},
           {"duration_ms", migration.duration ? nlohmann::json(migration.duration->count()) : nlohmann::json(nullptr)}});
    }
    batches.push_back({{"batch", batch.batch ? nlohmann::json(*batch.batch) : nlohmann::json(nullptr)},
                       {"direction", direction_name(batch.direction)},
                       {"committed", batch.committed},
                       {"migrations", migrations}});
  }
  return batches;
}

nlohmann::json migration_json(const MigrationResult& result) {
  nlohmann::json skipped = nlohmann::json::array();
  for (const auto& entry : result.skipped) skipped.push_back({{"name", entry.name}, {"reason", entry.reason}});
  nlohmann::json risks = nlohmann::json::array();
  for (const auto& risk : result.data_at_risk) risks.push_back(risk_json(risk));
  nlohmann::json retries = nlohmann::json::array();
  for (const auto& retry : result.lock_retries) retries.push_back(retry_json(retry));
  return {{"batches", batches_json(result)},
          {"skipped", skipped},
          {"data_at_risk", risks},
          {"lock_retries", retries},
          {"error", failure_json(result.failure)}};
}

}  // namespace sonamu::cli
