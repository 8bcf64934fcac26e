#pragma once
/// The handlers of the `migrate` subcommands: each calls the engine once and hands the
/// result to the output module.

#include "cli/invocation.hpp"
#include "core/exit_code.hpp"

namespace sonamu::cli {

/// The engine's entry point for run, up, rollback (all forms) or down, as `options` ask.
ExitCode migrate_with(Migrator& migrator, const Options& options);

ExitCode run_command(Invocation& in);       ///< run, up, rollback (all forms), down
ExitCode status_command(Invocation& in);
ExitCode make_command(Invocation& in);
ExitCode verify_command(Invocation& in);
ExitCode history_command(Invocation& in);
ExitCode unlock_command(Invocation& in);
ExitCode forget_command(Invocation& in);
ExitCode mark_command(Invocation& in);
ExitCode accept_command(Invocation& in);

}  // namespace sonamu::cli
