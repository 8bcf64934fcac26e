#pragma once
/// `migrate fleet-report FILES...`: the JSON documents of a fleet command's shards merged into
/// one summary and one exit code. Needs no database.

#include "cli/invocation.hpp"
#include "cli/options.hpp"
#include "core/exit_code.hpp"

#include <CLI/CLI.hpp>

namespace sonamu::cli {

/// The documents to merge: one or more files.
void fleet_report_options(CLI::App& command, Options& options);

/// Prints the merged summary (failures on stderr, the counts on stdout; `status` adds its
/// summary by version) or, with --json, the merged document. Returns the most severe of the
/// shards' exit codes; exit 2 when the documents cannot be merged.
ExitCode fleet_report_command(Invocation& in);

}  // namespace sonamu::cli
