#pragma once
/// The handlers of the `migrate` subcommands: each calls the engine once (through the
/// command's function in command_runs.hpp where a fleet runs it too) and hands the result to
/// the output module.

#include "cli/invocation.hpp"
#include "core/exit_code.hpp"

namespace sonamu::cli {

ExitCode run_command(Invocation& in);       ///< run, up, rollback (all forms), down
ExitCode status_command(Invocation& in);
ExitCode make_command(Invocation& in);
ExitCode init_command(Invocation& in);
ExitCode verify_command(Invocation& in);
ExitCode history_command(Invocation& in);
ExitCode unlock_command(Invocation& in);
ExitCode forget_command(Invocation& in);
ExitCode mark_command(Invocation& in);
ExitCode accept_command(Invocation& in);

}  // namespace sonamu::cli
