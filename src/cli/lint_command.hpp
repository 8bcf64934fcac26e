#pragma once
/// `migrate lint`: the pending migrations rehearsed and measured, each statement's locks and
/// rewrites of existing tables, and the rules' warnings with their safe alternatives.

#include "cli/invocation.hpp"
#include "core/exit_code.hpp"
#include "engine/lint_rehearsal.hpp"
#include "lint/rules.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace sonamu::cli {

/// The options of `lint`.
void lint_options(CLI::App& command, Options& options);

/// Runs `lint`: exit 1 when a migration fails in the rehearsal, or with `--fail-on warning`
/// when anything was found.
ExitCode lint_command(Invocation& in);

/// The report as text: one block per migration, then the count of warnings.
std::string lint_text(const LintRehearsal& rehearsal, const lint::LintSettings& settings, const Style& style,
                      int& warnings);

}  // namespace sonamu::cli
