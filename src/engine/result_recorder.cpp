#include "engine/result_recorder.hpp"

#include <algorithm>

namespace sonamu {

// The statement that waited is over once another one starts or it completes: its wait no
// longer explains a failure.
void ResultRecorder::statement(const std::string& sql, const std::vector<Param>& params) {
  wait_.reset();
  ForwardingReporter::statement(sql, params);
}

void ResultRecorder::statement_finished(std::chrono::milliseconds elapsed) {
  wait_.reset();
  ForwardingReporter::statement_finished(elapsed);
}

void ResultRecorder::measuring_statement(bool running) {
  wait_.reset();
  ForwardingReporter::measuring_statement(running);
}

void ResultRecorder::lock_waiting(const LockWait& wait, std::chrono::milliseconds waited) {
  wait_ = wait;
  ForwardingReporter::lock_waiting(wait, waited);
}

bool ResultRecorder::same_part(const MigrationOutcome& entry, const std::string& name) const {
  if (parts_.empty()) return true;
  for (const auto& part : parts_) {
    if (std::find(part.begin(), part.end(), name) != part.end()) {
      return std::find(part.begin(), part.end(), entry.name) != part.end();
    }
  }
  return false;
}

void ResultRecorder::migration_finished(Direction direction, const std::string& name,
                                        std::chrono::milliseconds elapsed) {
  current_.push_back({name, direction == Direction::up ? MigrationStatus::applied : MigrationStatus::rolled_back,
                      elapsed});
  ForwardingReporter::migration_finished(direction, name, elapsed);
}

void ResultRecorder::migration_failed(Direction direction, const std::string& name, const std::string& message,
                                      const std::string& sqlstate) {
  MigrationFailure failure;
  failure.migration = name;
  failure.direction = direction;
  failure.sqlstate = sqlstate;
  failure.message = message;
  // Read before the event is passed on: the reporters after this one keep their own wait.
  failure.blocked_by = wait_ && ends_lock_wait(sqlstate) ? wait_ : std::nullopt;
  failure.in_transaction =
      std::find(outside_transaction_.begin(), outside_transaction_.end(), name) == outside_transaction_.end();
  wait_.reset();
  result_.failure = std::move(failure);
  // The migrations that ran before it in the same transaction are rolled back with it; those
  // of the parts committed before stay as they were reported.
  for (auto& migration : current_) {
    if (same_part(migration, name)) migration.status = MigrationStatus::rolled_back_with_batch;
  }
  current_.push_back({name, MigrationStatus::failed, std::nullopt});
  result_.batches.push_back({std::nullopt, direction, false, std::move(current_)});
  current_.clear();
  parts_.clear();
  ForwardingReporter::migration_failed(direction, name, message, sqlstate);
}

void ResultRecorder::lock_retry(Direction direction, const std::string& name, const LockRetry& retry) {
  result_.lock_retries.push_back({name, direction, retry, wait_});
  wait_.reset();
  // What ran before in the rolled-back attempt runs again; the parts of the batch committed
  // before it stay.
  current_.erase(std::remove_if(current_.begin(), current_.end(),
                                [&](const MigrationOutcome& entry) { return same_part(entry, name); }),
                 current_.end());
  ForwardingReporter::lock_retry(direction, name, retry);
}

void ResultRecorder::batch_committed(Direction direction, int batch, const std::vector<std::string>& names) {
  result_.batches.push_back({batch, direction, true, std::move(current_)});
  current_.clear();
  parts_.clear();
  ForwardingReporter::batch_committed(direction, batch, names);
}

void ResultRecorder::batch_in_parts(Direction direction, int batch,
                                    const std::vector<std::pair<bool, std::vector<std::string>>>& parts) {
  parts_.clear();
  outside_transaction_.clear();
  for (const auto& part : parts) {
    parts_.push_back(part.second);
    if (!part.first) outside_transaction_.insert(outside_transaction_.end(), part.second.begin(), part.second.end());
  }
  ForwardingReporter::batch_in_parts(direction, batch, parts);
}

void ResultRecorder::batch_partly_done(Direction direction, int batch, const std::vector<std::string>& done,
                                       const std::vector<std::string>& not_done) {
  if (!result_.batches.empty() && !result_.batches.back().committed) result_.batches.back().batch = batch;
  if (result_.failure) {
    result_.failure->partly_done = true;
    result_.failure->recorded = direction == Direction::up ? done : not_done;
    result_.failure->not_recorded = direction == Direction::up ? not_done : done;
  }
  ForwardingReporter::batch_partly_done(direction, batch, done, not_done);
}

void ResultRecorder::migration_skipped(Direction direction, const std::string& name, const std::string& reason) {
  result_.skipped.push_back({name, reason});
  ForwardingReporter::migration_skipped(direction, name, reason);
}

void ResultRecorder::data_at_risk(const std::vector<DataAtRisk>& risks) {
  for (const auto& risk : risks) {
    RiskOutcome outcome{risk, std::nullopt};
    // A measurement stopped by a lock names who held it, as a batch's failure does.
    if (risk.kind == LossKind::unknown && wait_ && ends_lock_wait(risk.sqlstate)) outcome.blocked_by = wait_;
    result_.data_at_risk.push_back(std::move(outcome));
  }
  wait_.reset();
  ForwardingReporter::data_at_risk(risks);
}

void ResultRecorder::verified(const std::string& name, const std::vector<std::string>& left_behind,
                              const std::vector<std::string>& missing) {
  result_.verified.push_back({name, left_behind, missing, std::nullopt, std::nullopt});
  ForwardingReporter::verified(name, left_behind, missing);
}

void ResultRecorder::data_checked(const std::string& name, const DataCheck& check,
                                  const std::optional<std::string>& declared_lossy) {
  if (result_.verified.empty() || result_.verified.back().name != name) {
    result_.verified.push_back({name, {}, {}, std::nullopt, std::nullopt});
  }
  result_.verified.back().data = check;
  result_.verified.back().declared_lossy = declared_lossy;
  ForwardingReporter::data_checked(name, check, declared_lossy);
}

MigrationResult ResultRecorder::result(ExitCode code) const {
  MigrationResult result = result_;
  result.code = code;
  return result;
}

}  // namespace sonamu
