#include "output/format.hpp"

#include "core/program_name.hpp"
#include "core/text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace sonamu::cli {

namespace {

std::string paint(const Style& style, const char* ansi, const std::string& text) {
  return style.color ? std::string("\033[") + ansi + "m" + text + "\033[0m" : text;
}

}  // namespace

std::string ok_mark(const Style& style) { return paint(style, "32", style.emoji ? "✅" : "[ok]"); }

std::string pending_mark(const Style& style) {
  return paint(style, "33", style.emoji ? "⏳" : "[pending]");
}

std::string error_mark(const Style& style) { return paint(style, "31", style.emoji ? "❌" : "[error]"); }

std::string count_migrations(std::size_t count) {
  return fmt::format("{} migration{}", count, count == 1 ? "" : "s");
}

std::string batch_line(Direction direction, int batch, std::size_t count, bool dry_run) {
  const bool up = direction == Direction::up;
  if (batch == 0) {
    return fmt::format("{}: {}", dry_run ? (up ? "Would run" : "Would roll back") : (up ? "Ran" : "Rolled back"),
                       count_migrations(count));
  }
  return fmt::format("Batch {} {}: {}", batch,
                     dry_run ? (up ? "would run" : "would be rolled back") : (up ? "run" : "rolled back"),
                     count_migrations(count));
}

std::string thousands(long long number) {
  std::string digits = std::to_string(number < 0 ? -number : number);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return (number < 0 ? "-" : "") + digits;
}

std::string data_at_risk_line(const DataAtRisk& risk, const Style& style) {
  const std::string mark = paint(style, "33", style.emoji ? "⚠" : "[warning]");
  const std::string count = (risk.estimated ? "~" : "") + thousands(risk.count);
  const bool one = risk.count == 1 && !risk.estimated;
  switch (risk.kind) {
    case LossKind::table:
      return fmt::format("{} {}: {} {} will be deleted", mark, risk.display, count, one ? "row" : "rows");
    case LossKind::column:
      return fmt::format("{} {}: {} {} will be deleted", mark, risk.display, count,
                         one ? "non-null value" : "non-null values");
    case LossKind::type_change:
      if (risk.estimated) {
        return fmt::format("{} {}: {} values go through the change from {} to {} (not checked one by one on a "
                           "table this large)",
                           mark, risk.display, count, risk.from_type, risk.to_type);
      }
      return fmt::format("{} {}: {} {} not survive the change from {} to {}", mark, risk.display, count,
                         one ? "value will" : "values will", risk.from_type, risk.to_type);
    case LossKind::unknown:
      return fmt::format("{} Data at risk unknown: measuring what the down of {} deletes stopped after {} {}: {}; "
                         "this rollback may delete data",
                         mark, risk.display, risk.attempts, risk.attempts == 1 ? "attempt" : "attempts",
                         risk.reason.substr(0, risk.reason.find('\n')));
  }
  return "";
}

std::string drift_line(const ValueDrift& drift) {
  const char* sampled = drift.sampled ? " sampled" : "";
  if (drift.rows) {
    return fmt::format("{}: {} of {}{} rows missing after down", drift.display, thousands(drift.differing),
                       thousands(drift.compared), sampled);
  }
  std::string line = fmt::format("{}: {} of {}{} {} differ", drift.display, thousands(drift.differing),
                                 thousands(drift.compared), sampled, drift.compared == 1 ? "value" : "values");
  if (!drift.before.empty()) line += ", " + drift.before + " → " + (drift.after.empty() ? "?" : drift.after);
  return line;
}

std::string started_line(Direction direction, const std::string& name) {
  return (direction == Direction::up ? "Running migration: " : "Rolling back migration: ") + name;
}

std::string failed_line(Direction direction, const std::string& name, const Style& style) {
  return error_mark(style) +
         (direction == Direction::up ? " Error running " : " Error rolling back ") + name;
}

std::string statement_line(const std::string& sql, const std::vector<Param>& params) {
  std::string line = "SQL: " + sql;
  if (params.empty()) return line;
  // Bindings as knex shows a value for PostgreSQL: quoted, quotes doubled, E'' when a
  // backslash needs doubling too; NULL bare.
  line += " [";
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i > 0) line += ", ";
    if (!params[i]) {
      line += "NULL";
      continue;
    }
    std::string quoted = "'";
    bool backslash = false;
    for (char c : *params[i]) {
      if (c == '\'' || c == '\\') quoted += c;
      backslash = backslash || c == '\\';
      quoted += c;
    }
    line += (backslash ? "E" : "") + quoted + "'";
  }
  return line + "]";
}

std::string nothing_to_do_line(Direction direction) {
  return direction == Direction::up ? "Already up to date" : "Already at the base migration";
}

std::string rollback_all_stopped_line(const std::vector<int>& done_batches, int failed_batch) {
  if (done_batches.empty()) {
    return fmt::format("Rollback stopped at batch {}: no batch was rolled back", failed_batch);
  }
  return fmt::format(
      "Rollback stopped at batch {}: batch{} {} stay{} rolled back; batch {} and older are unchanged",
      failed_batch, done_batches.size() == 1 ? "" : "es", fmt::join(done_batches, ", "),
      done_batches.size() == 1 ? "s" : "", failed_batch);
}

std::string parts_line(Direction direction, int batch,
                       const std::vector<std::pair<bool, std::vector<std::string>>>& parts) {
  std::string line = fmt::format("Batch {} {} in {} parts:", batch,
                                 direction == Direction::up ? "runs" : "rolls back", parts.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    line += fmt::format("{} [{}] {}", i == 0 ? "" : ";", fmt::join(parts[i].second, ", "),
                        parts[i].first ? "in one transaction" : "without a transaction");
  }
  return line;
}

std::string partly_done_line(Direction direction, int batch, const std::vector<std::string>& done,
                             const std::vector<std::string>& not_done) {
  if (direction == Direction::up) {
    return fmt::format("Batch {} partly applied: recorded as applied: {}; not applied: {}", batch,
                       fmt::join(done, ", "), fmt::join(not_done, ", "));
  }
  return fmt::format("Batch {} partly rolled back: rolled back: {}; still applied: {}", batch,
                     fmt::join(done, ", "), fmt::join(not_done, ", "));
}

std::string history_text(const std::vector<HistoryRecord>& entries, const Style& style) {
  if (entries.empty()) return "No history yet\n";
  std::string text;
  for (const auto& entry : entries) {
    text += fmt::format("{}  {:<8}  {}  batch {}  {}ms  {}{}  ({}@{}, {})\n", entry.started_at,
                        printable(entry.action), printable(entry.name), entry.batch, entry.duration_ms,
                        entry.success ? ok_mark(style) : error_mark(style),
                        entry.success ? "" : " " + printable(entry.error), entry.db_user, entry.client_host,
                        entry.tool_version);
  }
  return text;
}

std::vector<std::string> late_lines(const std::vector<std::string>& names, const std::string& newest_applied,
                                    const Style& style) {
  std::vector<std::string> lines;
  const std::string mark = paint(style, "33", style.emoji ? "⚠" : "[warning]");
  for (const auto& name : names) {
    lines.push_back(fmt::format("{} {} is pending but sorts before {}, the newest applied migration (a branch "
                                "merged late?): it runs after it",
                                mark, name, newest_applied));
  }
  return lines;
}

std::string status_text(const StatusReport& report, const Style& style) {
  std::string text;
  if (report.executed.empty()) {
    text += "No executed migrations\n";
  }
  for (std::size_t i = 0; i < report.executed.size(); ++i) {
    const auto& group = report.executed[i];
    if (i > 0) text += "\n";
    text += fmt::format("Executed migrations (Batch {}):\n", group.batch);
    for (const auto& migration : group.migrations) {
      const bool edited =
          std::find(report.edited.begin(), report.edited.end(), migration.name) != report.edited.end();
      text += "  " + ok_mark(style) + " " + printable(migration.name) + (edited ? "  (edited since it was applied)" : "") + "\n";
    }
  }
  text += "\n";
  if (report.pending.empty()) {
    text += "No pending migrations\n";
  } else {
    text += "Pending migrations:\n";
    for (const auto& name : report.pending) text += "  " + pending_mark(style) + " " + printable(name) + "\n";
  }
  if (!report.edited.empty()) {
    // The database holds what was applied, not what the files say now.
    std::vector<std::string> commands;
    for (const auto& name : report.edited) commands.push_back("`" + program_name() + " migrate accept " + printable(name) + "`");
    text += fmt::format("\n{} applied migration{} edited since {} applied: the database has the old version. "
                        "If the change is intended, run {}.\n",
                        report.edited.size(), report.edited.size() == 1 ? " was" : "s were",
                        report.edited.size() == 1 ? "it was" : "they were", join(commands, " and "));
  }
  for (const auto& line : late_lines(report.late, report.newest_applied, style)) text += line + "\n";
  return text;
}

}  // namespace sonamu::cli
