#pragma once
/// A Reporter that keeps every event as a short string, so a test compares the whole sequence.

#include "core/reporter.hpp"

#include <string>
#include <vector>

namespace sonamu::test {

class RecordingReporter : public Reporter {
 public:
  std::vector<std::string> events;

  void migration_started(Direction d, const std::string& name) override {
    events.push_back(std::string(d == Direction::up ? "up " : "down ") + name);
  }
  void statement(const std::string& sql, const std::vector<Param>& params) override {
    events.push_back("sql " + sql + " (" + std::to_string(params.size()) + ")");
  }
  void lock_retry(Direction, const std::string& name, const LockRetry& retry) override {
    events.push_back("retry " + name + " " + std::to_string(retry.attempt) + "/" + std::to_string(retry.attempts) +
                     " [" + retry.sqlstate + "] after " + std::to_string(retry.delay.count()) + " ms" +
                     (retry.measuring ? " measuring" : ""));
  }
  void migration_finished(Direction, const std::string& name, std::chrono::milliseconds) override {
    events.push_back("done " + name);
  }
  void migration_failed(Direction, const std::string& name, const std::string& message,
                        const std::string& sqlstate) override {
    events.push_back("failed " + name + ": " + message + " [" + sqlstate + "]");
  }
  void batch_committed(Direction d, int batch, const std::vector<std::string>& names) override {
    events.push_back(std::string(d == Direction::up ? "ran" : "reverted") + " batch " +
                     std::to_string(batch) + " x" + std::to_string(names.size()));
  }
  void batch_in_parts(Direction, int, const std::vector<std::pair<bool, std::vector<std::string>>>& parts) override {
    events.push_back("parts " + std::to_string(parts.size()));
  }
  void batch_partly_done(Direction, int, const std::vector<std::string>& done,
                         const std::vector<std::string>& not_done) override {
    events.push_back("partly " + std::to_string(done.size()) + "/" + std::to_string(not_done.size()));
  }
  void migration_skipped(Direction, const std::string& name, const std::string&) override {
    events.push_back("skipped " + name);
  }
  void data_at_risk(const std::vector<DataAtRisk>& risks) override {
    for (const auto& risk : risks) {
      if (risk.kind == LossKind::unknown) {
        events.push_back("risk unknown " + risk.display + " [" + risk.sqlstate + "] after " +
                         std::to_string(risk.attempts));
      } else {
        events.push_back("risk " + risk.display + " " + std::to_string(risk.count));
      }
    }
  }
  void verified(const std::string& name, const std::vector<std::string>& left_behind,
                const std::vector<std::string>& missing) override {
    events.push_back("verified " + name + " " + std::to_string(left_behind.size()) + "/" +
                     std::to_string(missing.size()));
  }
  void nothing_to_do(Direction) override { events.push_back("nothing"); }
  void all_rolled_back() override { events.push_back("all"); }
  void rollback_all_stopped(const std::vector<int>&, int failed) override {
    events.push_back("stopped at " + std::to_string(failed));
  }
};

}  // namespace sonamu::test
