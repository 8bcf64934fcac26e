#include "cli/lint_command.hpp"

#include "cli/command_table.hpp"
#include "cli/printing.hpp"
#include "core/error.hpp"
#include "core/migration_name.hpp"
#include "core/registry.hpp"
#include "lint/sql_actions.hpp"
#include "output/progress_text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>

namespace sonamu::cli {

namespace {

std::string warning_mark(const Style& style) { return style.emoji ? "⚠" : "[warning]"; }

std::vector<std::string> late_names(const LintRehearsal& rehearsal, const std::string& extension) {
  std::vector<std::string> names;
  for (const auto& stem : rehearsal.late.stems) {
    const Migration* migration = Registry::global().find(stem);
    names.push_back(recorded_name(stem, migration != nullptr ? migration->source_file : "", extension));
  }
  return names;
}

lint::LintSettings settings_of(const Invocation& in) {
  lint::LintSettings settings;
  const auto& options = in.options;
  if (options.large_table_bytes) settings.large_table_bytes = *options.large_table_bytes;
  for (const auto& rule : options.disabled_rules) {
    const auto& known = lint::rule_descriptions();
    const bool exists = std::any_of(known.begin(), known.end(), [&](const auto& entry) { return entry.first == rule; });
    if (!exists) {
      std::vector<std::string> names;
      for (const auto& entry : known) names.push_back(entry.first);
      throw Error(ExitCode::usage, "Unknown lint rule '" + rule + "' (rules: " + fmt::format("{}", fmt::join(names, ", ")) + ")");
    }
    settings.disabled.insert(rule);
  }
  return settings;
}

nlohmann::json effect_json(const TableEffect& effect) {
  return {{"schema", effect.table.schema}, {"table", effect.table.name},   {"bytes", effect.table.bytes},
          {"rows", effect.table.rows},     {"lock_mode", effect.lock_mode}, {"rewritten", effect.rewritten},
          {"dropped", effect.dropped},             {"scanned", effect.scanned}};
}

nlohmann::json findings_json(const std::vector<lint::Finding>& findings) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& finding : findings) {
    list.push_back({{"rule", finding.rule}, {"table", finding.table}, {"message", finding.message}});
  }
  return list;
}

std::string count_of(std::size_t count, const std::string& noun) {
  return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

}  // namespace

lint::LintSettings lint_settings(const Invocation& in) { return settings_of(in); }

LintRequest lint_request(const Options& options) {
  LintRequest request;
  const unsigned traits = command_of(options).traits;
  request.rollback = (traits & reverts) != 0 || ((traits & rehearses) != 0 && options.rollback);
  request.single = (traits & one_migration) != 0;
  request.all = options.all;
  request.steps = options.step;
  request.to = options.to;
  return request;
}

nlohmann::json lint_json(const LintRehearsal& rehearsal, const lint::LintSettings& settings,
                         const std::vector<std::string>& late, int warnings) {
  nlohmann::json migrations = nlohmann::json::array();
  for (const auto& migration : rehearsal.migrations) {
    nlohmann::json statements = nlohmann::json::array();
    for (const auto& statement : migration.statements) {
      nlohmann::json effects = nlohmann::json::array();
      for (const auto& effect : statement.effects) effects.push_back(effect_json(effect));
      statements.push_back({{"sql", statement.sql}, {"effects", effects},
                            {"duration_ms", statement.elapsed ? nlohmann::json(statement.elapsed->count())
                                                              : nlohmann::json(nullptr)},
                            {"findings", findings_json(lint::statement_findings(statement.sql, statement.effects,
                                                                                rehearsal.existing, settings,
                                                                                statement.elapsed))}});
    }
    migrations.push_back({{"name", migration.name},
                          {"skipped", migration.skipped ? nlohmann::json(*migration.skipped) : nlohmann::json(nullptr)},
                          {"failure", migration.failure ? nlohmann::json(*migration.failure) : nlohmann::json(nullptr)},
                          {"statements", statements},
                          {"findings", findings_json(lint::migration_findings(migration, rehearsal.existing, settings))}});
  }
  return {{"rollback", rehearsal.rollback},
          {"migrations", migrations},
          {"sorts_before_applied", late},
          {"warnings", warnings},
          {"large_table_bytes", settings.large_table_bytes}};
}

std::string lint_header(const LintRehearsal& rehearsal, const lint::LintSettings& settings, bool in_dry_run) {
  const std::size_t count = rehearsal.migrations.size();
  const std::string large = fmt::format("(large tables: {} bytes or more)", settings.large_table_bytes);
  if (in_dry_run) {
    return fmt::format("Lint of {}{}, measured in this dry run {}\n", count_of(count, "migration"),
                       rehearsal.rollback ? " reverted" : "", large);
  }
  if (rehearsal.rollback) {
    return fmt::format("Lint of {} to revert, their downs rehearsed in a transaction that was rolled back {}\n",
                       count_of(count, "migration"), large);
  }
  return fmt::format("Lint of {}, rehearsed in a transaction that was rolled back {}\n",
                     count_of(count, "pending migration"), large);
}

std::string lint_footer(int warnings) {
  return warnings == 0 ? std::string("Lint: no warnings\n") : fmt::format("Lint: {}\n", count_of(warnings, "warning"));
}

void lint_options(CLI::App& command, Options& options) {
  command.add_option("--fail-on", options.fail_on, "Exit 1 when the report has warnings (warning), or never (default)")
      ->check(CLI::IsMember({"warning", "never"}));
  command.add_option("--large-table", options.large_table_bytes,
                     "Bytes from which a table counts as large for the rules (default 10485760: 10 MB)")
      ->check(CLI::Range(0LL, 1LL << 50));
  command.add_option("--disable", options.disabled_rules, "A rule to leave out (repeatable)");
  command.add_option("--statement-timeout", options.statement_timeout,
                     "PostgreSQL statement_timeout for the rehearsal (e.g. 30s)");
  command.add_option("--lock-timeout-sql", options.sql_lock_timeout,
                     "PostgreSQL lock_timeout for the rehearsal (default 2s)");
  auto* rollback = command.add_flag("--rollback", options.rollback,
                                    "Rehearse the downs of what rollback would revert, newest first");
  auto* all = command.add_flag("--all", options.all, "With --rollback: every batch, as rollback --all does")->needs(rollback);
  auto* to = command.add_option("--to", options.to,
                                "With --rollback: every migration applied after this one, as rollback --to does")
                 ->needs(rollback);
  auto* step = command.add_option("--step", options.step, "With --rollback: the last N migrations, as rollback --step N does")
                   ->check(CLI::Range(1, 1000000))
                   ->needs(rollback);
  exclude_each_other({all, to, step});
}

std::string lint_text(const LintRehearsal& rehearsal, const lint::LintSettings& settings, const Style& style,
                      int& warnings) {
  std::ostringstream out;
  warnings = 0;
  const auto warn = [&](const lint::Finding& finding, const std::string& indent) {
    out << indent << warning_mark(style) << ' ' << finding.rule << ": " << finding.message << '\n';
    ++warnings;
  };
  for (const auto& migration : rehearsal.migrations) {
    out << migration.name << '\n';
    if (migration.skipped) {
      out << "  not rehearsed: " << *migration.skipped << '\n';
      continue;
    }
    bool any = false;
    for (const auto& statement : migration.statements) {
      const auto findings =
          lint::statement_findings(statement.sql, statement.effects, rehearsal.existing, settings, statement.elapsed);
      std::vector<std::string> effects;
      for (const auto& effect : statement.effects) {
        if (lint::shown(effect)) effects.push_back(lint::effect_text(effect));
      }
      if (effects.empty() && findings.empty()) continue;
      any = true;
      std::string line = "  " + one_line(statement.sql);
      if (!effects.empty()) line += " — " + fmt::format("{}", fmt::join(effects, "; "));
      out << line << '\n';
      for (const auto& finding : findings) warn(finding, "    ");
    }
    for (const auto& finding : lint::migration_findings(migration, rehearsal.existing, settings)) {
      any = true;
      warn(finding, "  ");
    }
    if (migration.failure) {
      out << "  " << error_mark(style) << " failed in the rehearsal: " << *migration.failure << '\n';
    } else if (!any) {
      out << "  no lock on a table that existed before\n";
    }
  }
  return out.str();
}

ExitCode lint_command(Invocation& in) {
  const auto settings = lint_settings(in);
  in.settings.migrator.measure_filter = lint::may_touch;
  const LintRehearsal rehearsal = in.migrator().rehearse_for_lint(lint_request(in.options));
  const bool failed = !rehearsal.migrations.empty() && rehearsal.migrations.back().failure.has_value();
  int warnings = 0;
  const std::string text = lint_text(rehearsal, settings, in.style, warnings);
  const auto late = late_names(rehearsal, in.settings.migrator.extension);
  warnings += static_cast<int>(late.size());
  const bool fail_on_warning = in.options.fail_on == "warning";
  const ExitCode code = failed || (fail_on_warning && warnings > 0) ? ExitCode::migration_failed : ExitCode::ok;
  if (in.options.json) {
    auto document = envelope(in.context, static_cast<int>(code));
    document.update(lint_json(rehearsal, settings, late, warnings));
    print_document(in.out, document);
    return code;
  }
  if (in.options.quiet) return code;
  if (rehearsal.migrations.empty()) {
    in.out << (rehearsal.rollback ? "Nothing to revert: nothing to lint\n" : "No pending migrations: nothing to lint\n");
  } else {
    in.out << lint_header(rehearsal, settings, false) << text;
  }
  for (const auto& line : late_lines(late, rehearsal.late.newest_applied, in.style)) in.out << line << '\n';
  in.out << lint_footer(warnings);
  return code;
}

}  // namespace sonamu::cli
