#include "engine/measuring_reporter.hpp"

#include <utility>

namespace sonamu {

MeasuringReporter::MeasuringReporter(Reporter& inner, StatementMeter& meter, std::vector<MeasuredMigration>& migrations,
                                     MeasureFilter filter)
    : inner_(inner), meter_(meter), migrations_(migrations), filter_(std::move(filter)) {
  for (const auto& table : meter_.existing()) existing_names_.push_back(table.name);
}

MeasuredMigration& MeasuringReporter::begin(const std::string& name) {
  migrations_.emplace_back();
  migrations_.back().name = name;
  open_ = false;
  return migrations_.back();
}

void MeasuringReporter::fail(const std::string& message) {
  if (migrations_.empty()) return;
  auto& migration = migrations_.back();
  if (open_ && !migration.statements.empty()) migration.statements.pop_back();
  open_ = false;
  migration.failure = message;
}

void MeasuringReporter::statement(const std::string& sql, const std::vector<Param>& params) {
  // Read before the statement is announced, so that nothing the inner reporter does comes
  // between the reading and the statement. A statement that cannot touch an existing table
  // changes nothing the meter reads: the state after the last measured one stays true.
  open_ = !filter_ || filter_(sql, existing_names_);
  if (open_) meter_.before_statement();
  if (migrations_.empty()) begin("");
  migrations_.back().statements.push_back({sql, {}});
  inner_.statement(sql, params);
}

void MeasuringReporter::statement_finished(std::chrono::milliseconds elapsed) {
  if (open_) migrations_.back().statements.back().effects = meter_.after_statement();
  open_ = false;
  inner_.statement_finished(elapsed);
}

void MeasuringReporter::migration_started(Direction direction, const std::string& name) {
  inner_.migration_started(direction, name);
}
void MeasuringReporter::lock_waiting(const LockWait& wait, std::chrono::milliseconds waited) {
  inner_.lock_waiting(wait, waited);
}
void MeasuringReporter::lock_retry(Direction direction, const std::string& name, const LockRetry& retry) {
  inner_.lock_retry(direction, name, retry);
}
void MeasuringReporter::batch_started(Direction direction, int batch, const std::vector<std::string>& names) {
  inner_.batch_started(direction, batch, names);
}
void MeasuringReporter::migration_finished(Direction direction, const std::string& name,
                                           std::chrono::milliseconds elapsed) {
  inner_.migration_finished(direction, name, elapsed);
}
void MeasuringReporter::migration_failed(Direction direction, const std::string& name, const std::string& message,
                                         const std::string& sqlstate) {
  inner_.migration_failed(direction, name, message, sqlstate);
}
void MeasuringReporter::batch_committed(Direction direction, int batch, const std::vector<std::string>& names) {
  inner_.batch_committed(direction, batch, names);
}
void MeasuringReporter::batch_in_parts(Direction direction, int batch,
                                       const std::vector<std::pair<bool, std::vector<std::string>>>& parts) {
  inner_.batch_in_parts(direction, batch, parts);
}
void MeasuringReporter::batch_partly_done(Direction direction, int batch, const std::vector<std::string>& done,
                                          const std::vector<std::string>& not_done) {
  inner_.batch_partly_done(direction, batch, done, not_done);
}
void MeasuringReporter::migration_skipped(Direction direction, const std::string& name, const std::string& reason) {
  inner_.migration_skipped(direction, name, reason);
}
void MeasuringReporter::data_at_risk(const std::vector<DataAtRisk>& risks) { inner_.data_at_risk(risks); }
void MeasuringReporter::verified(const std::string& name, const std::vector<std::string>& left_behind,
                                 const std::vector<std::string>& missing) {
  inner_.verified(name, left_behind, missing);
}
void MeasuringReporter::data_checked(const std::string& name, const DataCheck& check,
                                     const std::optional<std::string>& declared_lossy) {
  inner_.data_checked(name, check, declared_lossy);
}
void MeasuringReporter::nothing_to_do(Direction direction) { inner_.nothing_to_do(direction); }
void MeasuringReporter::nothing_after(const std::string& name) { inner_.nothing_after(name); }
void MeasuringReporter::late_migrations(const std::vector<std::string>& names, const std::string& newest_applied) {
  inner_.late_migrations(names, newest_applied);
}
void MeasuringReporter::all_rolled_back() { inner_.all_rolled_back(); }
void MeasuringReporter::rollback_all_stopped(const std::vector<int>& done_batches, int failed_batch) {
  inner_.rollback_all_stopped(done_batches, failed_batch);
}

}  // namespace sonamu
