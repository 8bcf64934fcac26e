#pragma once
/// `migrate schema`: the live schema read from PostgreSQL's catalog, printed, written to a
/// file, or compared with one (a CI step).

#include "cli/invocation.hpp"
#include "core/exit_code.hpp"
#include "output/schema_output.hpp"

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace sonamu::cli {

/// The options of `schema`: --file and --check (which exclude each other).
void schema_options(CLI::App& command, Options& options);

/// The result of `schema` on the snapshot `live`: with `write_to`, the file written
/// atomically; with `check_against`, the file read and compared. Throws sonamu::Error (usage)
/// when the file cannot be written, read or parsed.
SchemaResult schema_result(SchemaSnapshot live, const std::optional<std::string>& write_to,
                           const std::optional<std::string>& check_against);

/// Runs `schema`: exit 1 when --check finds a difference.
ExitCode schema_command(Invocation& in);

}  // namespace sonamu::cli
