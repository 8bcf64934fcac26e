#include "output/documents.hpp"

#include <algorithm>

namespace sonamu::cli {

nlohmann::json text_or_null(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

nlohmann::json status_json(const StatusReport& report) {
  nlohmann::json batches = nlohmann::json::array();
  for (const auto& group : report.executed) {
    nlohmann::json migrations = nlohmann::json::array();
    for (const auto& migration : group.migrations) {
      const bool edited = std::find(report.edited.begin(), report.edited.end(), migration.name) != report.edited.end();
      migrations.push_back({{"name", migration.name},
                            {"batch", migration.batch},
                            {"applied_at", text_or_null(migration.migration_time)},
                            {"status", "applied"},
                            {"edited_since_applied", edited}});
    }
    batches.push_back({{"batch", group.batch}, {"migrations", migrations}});
  }
  nlohmann::json pending = nlohmann::json::array();
  for (const auto& name : report.pending) {
    const bool late = std::find(report.late.begin(), report.late.end(), name) != report.late.end();
    pending.push_back({{"name", name}, {"status", "pending"}, {"sorts_before_applied", late}});
  }
  return {{"batches", batches}, {"pending", pending}, {"edited", report.edited}};
}

nlohmann::json history_json(const std::vector<HistoryRecord>& records) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& record : records) {
    list.push_back({{"action", record.action}, {"name", record.name}, {"batch", record.batch},
                    {"started_at", record.started_at}, {"duration_ms", record.duration_ms},
                    {"success", record.success}, {"error", text_or_null(record.error)},
                    {"db_user", record.db_user}, {"client_host", record.client_host},
                    {"tool_version", record.tool_version}});
  }
  return list;
}

nlohmann::json envelope(const Context& context, int exit_code) {
  return {{"command", context.command},
          {"environment", text_or_null(context.environment)},
          {"database", text_or_null(context.database)},
          {"ok", exit_code == 0},
          {"exit_code", exit_code}};
}

void print_document(std::ostream& out, const nlohmann::json& document) { out << document.dump(2) << '\n'; }

}  // namespace sonamu::cli
