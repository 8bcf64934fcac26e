#pragma once
/// The engine on the in-memory fakes (fake_database.hpp), with the registry, reporter and
/// settings a test fills in before it asks for the migrator, and the fake server's state read
/// back as short strings to compare.

#include "fake_database.hpp"
#include "recording_reporter.hpp"
#include "engine/migrator.hpp"

#include <string>
#include <vector>

namespace sonamu::test {

struct FakeEngine {
  FakeServer server;
  FakeSession session{server};
  FakeStore store;
  Registry registry;
  RecordingReporter reporter;
  MigratorSettings settings;

  Migrator migrator() { return Migrator(session, store, registry, reporter, settings); }

  /// "name:batch" of the recorded migrations, in id order.
  std::vector<std::string> recorded() const {
    std::vector<std::string> rows;
    for (const auto& row : server.state.rows) rows.push_back(row.name + ":" + std::to_string(row.batch));
    return rows;
  }
  /// "action name ok|failed: error" of the history lines, oldest first.
  std::vector<std::string> history() const {
    std::vector<std::string> lines;
    for (const auto& entry : server.state.history) {
      lines.push_back(entry.action + " " + entry.name + (entry.success ? " ok" : " failed: " + entry.error));
    }
    return lines;
  }
  /// The objects the migrations' statements created and have not dropped, in name order.
  std::vector<std::string> objects() const { return {server.state.objects.begin(), server.state.objects.end()}; }
};

}  // namespace sonamu::test
