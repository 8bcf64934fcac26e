// A reporter that drops every event, for the engine's internal runs.
#pragma once

#include "core/reporter.hpp"

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace sonamu {

/// Takes every event of a run the user does not need to see (a measuring run, a rehearsal
/// for lint); a reporter that wants a few of them overrides those.
class SilentReporter : public Reporter {
 public:
  void migration_started(Direction, const std::string&) override {}
  void statement(const std::string&, const std::vector<Param>&) override {}
  void migration_finished(Direction, const std::string&, std::chrono::milliseconds) override {}
  void migration_failed(Direction, const std::string&, const std::string&, const std::string&) override {}
  void batch_committed(Direction, int, const std::vector<std::string>&) override {}
  void batch_in_parts(Direction, int, const std::vector<std::pair<bool, std::vector<std::string>>>&) override {}
  void batch_partly_done(Direction, int, const std::vector<std::string>&, const std::vector<std::string>&) override {}
  void migration_skipped(Direction, const std::string&, const std::string&) override {}
  void data_at_risk(const std::vector<DataAtRisk>&) override {}
  void verified(const std::string&, const std::vector<std::string>&, const std::vector<std::string>&) override {}
  void nothing_to_do(Direction) override {}
  void all_rolled_back() override {}
  void rollback_all_stopped(const std::vector<int>&, int) override {}
};

}  // namespace sonamu
