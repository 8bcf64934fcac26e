#pragma once
/// The lint's rules: the known risky forms of migrations, each with its safe alternative, on
/// top of what the rehearsal measured (locks, rewrites, sizes of the tables that existed).

#include "core/statement_meter.hpp"
#include "engine/lint_rehearsal.hpp"

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace sonamu::lint {

/// What counts as large, and which rules are off.
struct LintSettings {
  long long large_table_bytes = 10LL * 1024 * 1024;  ///< rules on big tables apply from this size
  std::set<std::string> disabled;                    ///< rule names
};

/// One warning: the rule, the table, and what to do instead.
struct Finding {
  std::string rule;
  std::string table;
  std::string message;
};

/// The rules, by name, with what each one finds: for --help and docs/production-safe-migrations.md.
const std::vector<std::pair<std::string, std::string>>& rule_descriptions();

/// The findings of one statement: the parsed `sql` against the measured `effects` and the
/// tables that existed before the rehearsal.
/// `elapsed`: how long the statement ran in the rehearsal, when it was measured.
std::vector<Finding> statement_findings(const std::string& sql, const std::vector<TableEffect>& effects,
                                        const std::vector<ExistingTable>& existing, const LintSettings& settings,
                                        std::optional<std::chrono::milliseconds> elapsed = std::nullopt);

/// The findings about a migration as a whole (data changes mixed with DDL on a large table).
std::vector<Finding> migration_findings(const MeasuredMigration& migration, const std::vector<ExistingTable>& existing,
                                        const LintSettings& settings);

/// Whether the report lists `effect`: a new lock, a rewrite or a drop (a table only scanned,
/// already held by the batch, shows in --json only).
bool shown(const TableEffect& effect);

/// "users (387 MB, ~5,000,000 rows)": the table with its measured size and row estimate.
std::string table_text(const ExistingTable& table);

/// "ACCESS EXCLUSIVE" for "AccessExclusiveLock".
std::string lock_mode_text(const std::string& mode);

/// "rewrites users (387 MB, ~5,000,000 rows) under ACCESS EXCLUSIVE lock", "locks ... in
/// SHARE mode", "drops ...".
std::string effect_text(const TableEffect& effect);

}  // namespace sonamu::lint
