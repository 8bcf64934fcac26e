#pragma once
/// `migrate lint`: the pending migrations rehearsed and measured, each statement's locks and
/// rewrites of existing tables, and the rules' warnings with their safe alternatives.

#include "cli/invocation.hpp"
#include "core/exit_code.hpp"
#include "engine/lint_rehearsal.hpp"
#include "lint/rules.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace sonamu::cli {

/// The options of `lint`.
void lint_options(CLI::App& command, Options& options);

/// Runs `lint`: exit 1 when a migration fails in the rehearsal, or with `--fail-on warning`
/// when anything was found.
ExitCode lint_command(Invocation& in);

/// The rule settings of the command line (--large-table, --disable; defaults elsewhere).
lint::LintSettings lint_settings(const Invocation& in);

/// What the command `options` describe would run: `lint` (with --rollback, --step, --all),
/// `run`, `up`, `rollback` (--step, --all, --to) or `down`.
LintRequest lint_request(const Options& options);

/// The report as JSON: `rollback`, `migrations`, `sorts_before_applied` (`late`), `warnings`,
/// `large_table_bytes`.
nlohmann::json lint_json(const LintRehearsal& rehearsal, const lint::LintSettings& settings,
                         const std::vector<std::string>& late, int warnings);

/// "Lint of 2 pending migrations, rehearsed in ..." (or "measured in this dry run").
std::string lint_header(const LintRehearsal& rehearsal, const lint::LintSettings& settings, bool in_dry_run);

/// "Lint: no warnings" or "Lint: N warnings".
std::string lint_footer(int warnings);

/// The report as text: one block per migration (its warnings counted in `warnings`).
std::string lint_text(const LintRehearsal& rehearsal, const lint::LintSettings& settings, const Style& style,
                      int& warnings);

}  // namespace sonamu::cli
