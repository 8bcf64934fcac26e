#include "engine/measuring_reporter.hpp"

#include <utility>

namespace sonamu {

MeasuringReporter::MeasuringReporter(Reporter& inner, StatementMeter& meter, std::vector<MeasuredMigration>& migrations,
                                     MeasureFilter filter)
    : ForwardingReporter(inner), meter_(meter), migrations_(migrations), filter_(std::move(filter)) {
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
  migrations_.back().statements.push_back({sql, {}, std::nullopt});
  inner_.statement(sql, params);
}

void MeasuringReporter::statement_finished(std::chrono::milliseconds elapsed) {
  if (!migrations_.empty() && !migrations_.back().statements.empty()) {
    migrations_.back().statements.back().elapsed = elapsed;
  }
  if (open_) migrations_.back().statements.back().effects = meter_.after_statement();
  open_ = false;
  inner_.statement_finished(elapsed);
}

}  // namespace sonamu
