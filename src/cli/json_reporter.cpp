#include "cli/json_reporter.hpp"

#include "cli/progress_text.hpp"

#include <algorithm>

namespace sonamu::cli {

namespace {

const char* direction_name(Direction direction) { return direction == Direction::up ? "up" : "down"; }

/// The sessions that held the lock a statement waited for.
nlohmann::json blocked_by(const LockWait& wait) {
  nlohmann::json holders = nlohmann::json::array();
  for (const auto& holder : wait.holders) {
    holders.push_back({{"pid", holder.pid},
                       {"application", holder.application},
                       {"state", holder.state},
                       {"since", holder.since},
                       {"query", holder.query}});
  }
  return holders;
}

nlohmann::json waited_for(const LockWait& wait) {
  return {{"relation", wait.relation.empty() ? nlohmann::json(nullptr) : nlohmann::json(wait.relation)},
          {"mode", wait.mode}};
}

}  // namespace

nlohmann::json JsonReporter::unmeasured(const DataAtRisk& risk) {
  // No count: the data at risk is not known, which is not zero.
  nlohmann::json entry = {{"object", risk.display},
                          {"kind", loss_kind_name(risk.kind)},
                          {"count", nullptr},
                          {"estimated", false},
                          {"reason", risk.reason},
                          {"sqlstate", risk.sqlstate.empty() ? nlohmann::json(nullptr) : nlohmann::json(risk.sqlstate)},
                          {"attempts", risk.attempts},
                          {"blocked_by", nlohmann::json::array()}};
  if (wait_ && ends_lock_wait(risk.sqlstate)) {
    entry["blocked_by"] = blocked_by(*wait_);
    entry["waited_for"] = waited_for(*wait_);
  }
  wait_.reset();
  return entry;
}

void JsonReporter::migration_started(Direction, const std::string& name) { current_name_ = name; }

void JsonReporter::batch_in_parts(Direction, int,
                                  const std::vector<std::pair<bool, std::vector<std::string>>>& parts) {
  parts_.clear();
  for (const auto& part : parts) parts_.push_back(part.second);
}

bool JsonReporter::same_part(const nlohmann::json& entry, const std::string& name) const {
  if (parts_.empty()) return true;
  const std::string entry_name = entry["name"].get<std::string>();
  for (const auto& part : parts_) {
    const bool has_name = std::find(part.begin(), part.end(), name) != part.end();
    if (has_name) return std::find(part.begin(), part.end(), entry_name) != part.end();
  }
  return false;
}

void JsonReporter::migration_finished(Direction direction, const std::string& name,
                                      std::chrono::milliseconds elapsed) {
  current_.push_back({{"name", name},
                      {"status", direction == Direction::up ? "applied" : "rolled_back"},
                      {"duration_ms", elapsed.count()}});
}

void JsonReporter::migration_failed(Direction direction, const std::string& name,
                                    const std::string& message, const std::string& sqlstate) {
  error_ = {{"migration", name},
            {"direction", direction_name(direction)},
            {"sqlstate", sqlstate.empty() ? nlohmann::json(nullptr) : nlohmann::json(sqlstate)},
            {"message", message},
            {"blocked_by", nlohmann::json::array()}};
  if (wait_ && ends_lock_wait(sqlstate)) {
    // The sessions that held the lock this statement waited for until the limit ended it.
    error_["blocked_by"] = blocked_by(*wait_);
    error_["waited_for"] = waited_for(*wait_);
  }
  wait_.reset();
  // The migrations that ran before it in the same transaction are rolled back with it; those
  // of the parts committed before stay as they were reported.
  for (auto& migration : current_) {
    if (same_part(migration, name)) migration["status"] = "rolled_back_with_batch";
  }
  current_.push_back({{"name", name}, {"status", "failed"}, {"duration_ms", nullptr}});
  batches_.push_back({{"batch", nullptr},
                      {"direction", direction_name(direction)},
                      {"committed", false},
                      {"migrations", current_}});
  current_ = nlohmann::json::array();
  parts_.clear();
}

void JsonReporter::lock_retry(Direction direction, const std::string& name, const LockRetry& retry) {
  nlohmann::json entry = {{"migration", name},
                          {"direction", direction_name(direction)},
                          {"attempt", retry.attempt},
                          {"attempts", retry.attempts},
                          {"sqlstate", retry.sqlstate},
                          {"message", retry.message},
                          {"delay_ms", retry.delay.count()},
                          {"blocked_by", wait_ ? blocked_by(*wait_) : nlohmann::json::array()},
                          {"waited_for", wait_ ? waited_for(*wait_) : nlohmann::json(nullptr)},
                          {"measuring", retry.measuring}};
  retries_.push_back(std::move(entry));
  wait_.reset();
  // What ran before in the rolled-back attempt runs again; the parts of the batch committed
  // before it stay.
  nlohmann::json kept = nlohmann::json::array();
  for (auto& migration : current_) {
    if (!same_part(migration, name)) kept.push_back(std::move(migration));
  }
  current_ = std::move(kept);
}

void JsonReporter::batch_committed(Direction direction, int batch, const std::vector<std::string>&) {
  batches_.push_back({{"batch", batch},
                      {"direction", direction_name(direction)},
                      {"committed", true},
                      {"migrations", current_}});
  current_ = nlohmann::json::array();
  parts_.clear();
}

void JsonReporter::batch_partly_done(Direction direction, int batch,
                                     const std::vector<std::string>& done,
                                     const std::vector<std::string>& not_done) {
  if (!batches_.empty() && batches_.back()["committed"] == false) {
    batches_.back()["batch"] = batch;
  }
  error_["recorded"] = direction == Direction::up ? done : not_done;
  error_["not_recorded"] = direction == Direction::up ? not_done : done;
}

void JsonReporter::data_at_risk(const std::vector<DataAtRisk>& risks) {
  for (const auto& risk : risks) {
    if (risk.kind == LossKind::unknown) {
      risks_.push_back(unmeasured(risk));
      continue;
    }
    nlohmann::json entry = {{"object", risk.display}, {"kind", loss_kind_name(risk.kind)}, {"count", risk.count},
                            {"estimated", risk.estimated}};
    if (risk.kind == LossKind::type_change) {
      entry["from_type"] = risk.from_type;
      entry["to_type"] = risk.to_type;
    }
    risks_.push_back(std::move(entry));
  }
}

}  // namespace sonamu::cli
