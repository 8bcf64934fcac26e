#include "lint/rules.hpp"

#include "lint/sql_actions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace sonamu::lint {

namespace {

using Kind = SqlAction::Kind;

/// The existing table `action` names: by schema when it names one, else the first of that name
/// (the search path's choice is not known here; a user table name is rarely in two schemas).
const ExistingTable* find_table(const SqlAction& action, const std::vector<ExistingTable>& existing) {
  for (const auto& table : existing) {
    if (table.name == action.table && (action.schema.empty() || table.schema == action.schema)) return &table;
  }
  return nullptr;
}

bool large(const ExistingTable& table, const LintSettings& settings) {
  return table.bytes >= settings.large_table_bytes;
}

std::string grouped(long long number) {
  std::string digits = std::to_string(number);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return digits;
}

/// pg_size_pretty's units: bytes, kB, MB, GB, TB (powers of 1024), rounded.
std::string size_text(long long bytes) {
  const char* units[] = {"bytes", "kB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 10 * 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  return fmt::format("{:.0f} {}", value, units[unit]);
}

std::string column_of(const SqlAction& action) { return "\"" + action.table + "\".\"" + action.column + "\""; }

bool rewrote(const std::vector<TableEffect>& effects, const ExistingTable& table) {
  return std::any_of(effects.begin(), effects.end(), [&](const TableEffect& effect) {
    return effect.rewritten && effect.table.schema == table.schema && effect.table.name == table.name;
  });
}

bool scanned(const std::vector<TableEffect>& effects, const ExistingTable& table) {
  return std::any_of(effects.begin(), effects.end(), [&](const TableEffect& effect) {
    return effect.scanned && effect.table.schema == table.schema && effect.table.name == table.name;
  });
}

/// "12 ms", "1.7 s".
std::string duration_text(std::chrono::milliseconds elapsed) {
  if (elapsed.count() < 1000) return fmt::format("{} ms", elapsed.count());
  return fmt::format("{:.1f} s", static_cast<double>(elapsed.count()) / 1000);
}

/// "under SHARE lock for 12 ms": the lock the statement took on `table` (or one it found
/// held, taken earlier in the same transaction) and how long it ran, as the rehearsal measured.
std::string measured_hold(const std::vector<TableEffect>& effects, const ExistingTable& table,
                          std::optional<std::chrono::milliseconds> elapsed) {
  std::string lock = "the lock an earlier statement took";
  for (const auto& effect : effects) {
    if (effect.table.schema == table.schema && effect.table.name == table.name && !effect.lock_mode.empty()) {
      lock = lock_mode_text(effect.lock_mode) + " lock";
    }
  }
  return "under " + lock + (elapsed ? " for " + duration_text(*elapsed) : std::string(" (time not measured)"));
}

/// An index built without CONCURRENTLY on a table that may hold rows: every row is read
/// while the table's lock is held, however small the table counts for the other rules.
std::string index_build_message(const SqlAction& action, const ExistingTable& table, const std::string& hold) {
  if (action.kind == Kind::create_index) {
    return "CREATE INDEX built its index on " + table_text(table) + " " + hold + " in the rehearsal; every write "
           "to the table waits as long: use CREATE INDEX CONCURRENTLY, in a migration without a transaction "
           "(SONAMU_MIGRATION_WITHOUT_TRANSACTION)";
  }
  const std::string built = "ADD " + action.column + " built its index on " + table_text(table) + " " + hold +
                            " in the rehearsal; every query of the table waits as long: ";
  // PostgreSQL has no USING INDEX form of an exclusion constraint.
  if (action.column == "EXCLUDE") return built + "add it when the table can stay locked that long";
  return built + "build the index with CREATE UNIQUE INDEX CONCURRENTLY in a migration without a transaction, "
                 "then ADD CONSTRAINT ... " + action.column + " USING INDEX";
}

}  // namespace

bool shown(const TableEffect& effect) { return !effect.lock_mode.empty() || effect.rewritten || effect.dropped; }

const std::vector<std::pair<std::string, std::string>>& rule_descriptions() {
  static const std::vector<std::pair<std::string, std::string>> rules = {
      {"index-not-concurrent",
       "CREATE INDEX without CONCURRENTLY, or ADD UNIQUE / PRIMARY KEY, on an existing table with rows"},
      {"constraint-validated-at-once", "ADD FOREIGN KEY or CHECK without NOT VALID on an existing large table"},
      {"set-not-null", "SET NOT NULL that scans an existing large table (no validated check proves it)"},
      {"type-change-rewrite", "a column type change that rewrites a large table"},
      {"add-column-rewrite", "ADD COLUMN whose default (volatile) rewrites a large table"},
      {"table-rewrite", "any other statement that rewrites a large table"},
      {"drop-column", "DROP COLUMN of a table that existed before"},
      {"rename-column", "RENAME COLUMN of a table that existed before"},
      {"data-with-ddl", "a migration that changes data and locks a large table exclusively"},
  };
  return rules;
}

std::string table_text(const ExistingTable& table) {
  const std::string name = table.schema == "public" ? table.name : table.schema + "." + table.name;
  const std::string rows = table.rows < 0 ? "rows not yet counted" : "~" + grouped(table.rows) + " rows";
  return fmt::format("{} ({}, {})", name, size_text(table.bytes), rows);
}

std::string lock_mode_text(const std::string& mode) {
  std::string text;
  std::string name = mode;
  const std::string suffix = "Lock";
  if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
    name.erase(name.size() - suffix.size());
  }
  for (const char c : name) {
    if (std::isupper(static_cast<unsigned char>(c)) && !text.empty()) text += ' ';
    text += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return text;
}

std::string effect_text(const TableEffect& effect) {
  if (effect.dropped) return "drops " + table_text(effect.table);
  if (effect.rewritten) return "rewrites " + table_text(effect.table) + " under " + lock_mode_text(effect.lock_mode) + " lock";
  return "locks " + table_text(effect.table) + " in " + lock_mode_text(effect.lock_mode) + " mode";
}

namespace {

/// The findings of one statement, each rule at most once per table.
class StatementFindings {
 public:
  StatementFindings(const std::vector<TableEffect>& effects, const LintSettings& settings,
                    std::optional<std::chrono::milliseconds> elapsed)
      : effects_(effects), settings_(settings), elapsed_(elapsed) {}

  /// Statements that hold a lock long on a table in use (an index built, every row checked
  /// or rewritten).
  void judge_blocking(const SqlAction& action, const ExistingTable& table) {
    const std::string name = table_text(table);
    switch (action.kind) {
      case Kind::create_index:
      case Kind::add_index_constraint:
        if (!table.empty || large(table, settings_)) {
          add("index-not-concurrent", table,
              index_build_message(action, table, measured_hold(effects_, table, elapsed_)));
        }
        break;
      case Kind::add_validated_constraint:
        if (large(table, settings_)) {
          add("constraint-validated-at-once", table,
              "ADD " + action.column + " checks every row of " + name + " while it holds its lock: add it NOT VALID, "
              "then VALIDATE CONSTRAINT in a later migration (that takes a lock writes can pass)");
        }
        break;
      case Kind::set_not_null:
        // PostgreSQL skips the scan when a validated CHECK constraint proves the column holds
        // no NULL: whether it scanned is measured, so such a check (or any proof it accepts)
        // is no warning.
        if (large(table, settings_) && scanned(effects_, table)) {
          add("set-not-null", table,
              "SET NOT NULL on " + column_of(action) + " scans " + name + " under ACCESS EXCLUSIVE lock: add CHECK (\"" +
                  action.column + "\" IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it in a later migration, then "
                  "SET NOT NULL (PostgreSQL skips the scan when a validated check proves it)");
        }
        break;
      case Kind::alter_column_type:
        if (large(table, settings_) && rewrote(effects_, table)) {
          rewrite_explained_ = true;
          add("type-change-rewrite", table,
              "changing the type of " + column_of(action) + " rewrites " + name + " under ACCESS EXCLUSIVE lock: add a "
              "column of the new type, backfill it in batches, switch the application to it, then drop the old one");
        }
        break;
      case Kind::add_column:
        if (large(table, settings_) && rewrote(effects_, table)) {
          rewrite_explained_ = true;
          add("add-column-rewrite", table,
              "adding " + column_of(action) + " with a volatile default rewrites " + name + " under ACCESS EXCLUSIVE "
              "lock: add it without a default (or with a constant one), then fill it in batches");
        }
        break;
      default:
        break;
    }
  }

  /// Statements that break an application still running the code before the migration.
  void judge_breaking(const SqlAction& action, const ExistingTable& table) {
    switch (action.kind) {
      case Kind::drop_column:
        add("drop-column", table,
            "dropping " + column_of(action) + " breaks an application that still reads it: deploy code that no longer "
            "uses it first, then drop it in a later migration");
        break;
      case Kind::rename_column:
        add("rename-column", table,
            "renaming " + column_of(action) + " breaks an application that still reads it: add the new column, write "
            "both, backfill, move the reads, then drop the old one");
        break;
      default:
        break;
    }
  }

  /// A rewrite no finding explained yet: said as such.
  void judge_unexplained_rewrites() {
    if (rewrite_explained_) return;
    for (const auto& effect : effects_) {
      if (effect.rewritten && large(effect.table, settings_)) {
        add("table-rewrite", effect.table,
            "this statement rewrites " + table_text(effect.table) + " under " + lock_mode_text(effect.lock_mode) +
                " lock: every query of the table waits until it ends");
      }
    }
  }

  std::vector<Finding> take() { return std::move(findings_); }

 private:
  void add(const std::string& rule, const ExistingTable& table, const std::string& message) {
    if (settings_.disabled.count(rule) != 0) return;
    const bool seen = std::any_of(findings_.begin(), findings_.end(), [&](const Finding& finding) {
      return finding.rule == rule && finding.table == table.name;
    });
    if (!seen) findings_.push_back({rule, table.name, message});
  }

  const std::vector<TableEffect>& effects_;
  const LintSettings& settings_;
  std::optional<std::chrono::milliseconds> elapsed_;
  std::vector<Finding> findings_;
  bool rewrite_explained_ = false;
};

}  // namespace

std::vector<Finding> statement_findings(const std::string& sql, const std::vector<TableEffect>& effects,
                                        const std::vector<ExistingTable>& existing, const LintSettings& settings,
                                        std::optional<std::chrono::milliseconds> elapsed) {
  StatementFindings findings(effects, settings, elapsed);
  for (const auto& action : sql_actions(sql)) {
    const ExistingTable* table = find_table(action, existing);
    if (table == nullptr) continue;  // created by this batch: nobody uses it yet
    findings.judge_blocking(action, *table);
    findings.judge_breaking(action, *table);
  }
  findings.judge_unexplained_rewrites();
  return findings.take();
}

std::vector<Finding> migration_findings(const MeasuredMigration& migration, const std::vector<ExistingTable>& existing,
                                        const LintSettings& settings) {
  std::vector<Finding> findings;
  if (settings.disabled.count("data-with-ddl") != 0) return findings;
  bool changes_data = false;
  for (const auto& statement : migration.statements) {
    for (const auto& action : sql_actions(statement.sql)) {
      if (action.kind == Kind::data_change && find_table(action, existing) != nullptr) changes_data = true;
    }
  }
  if (!changes_data) return findings;
  for (const auto& statement : migration.statements) {
    for (const auto& effect : statement.effects) {
      if (effect.lock_mode == "AccessExclusiveLock" && large(effect.table, settings)) {
        findings.push_back({"data-with-ddl", effect.table.name,
                            "this migration changes data and holds ACCESS EXCLUSIVE on " + table_text(effect.table) +
                                " in the same transaction: the lock lasts as long as the data change; move the data "
                                "change to a migration of its own"});
        return findings;
      }
    }
  }
  return findings;
}

}  // namespace sonamu::lint
