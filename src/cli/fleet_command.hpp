#pragma once
/// `--fleet NAME`: one command on every target of a fleet, with a result per target.

#include "cli/invocation.hpp"
#include "core/exit_code.hpp"
#include "core/registry.hpp"

namespace sonamu::cli {

/// Lists the fleet's targets, runs the command on each (canaries first, then a bounded pool
/// of workers) and prints the summary or the JSON document. Returns the fleet's exit code.
ExitCode fleet_command(Invocation& in, const Registry& registry);

}  // namespace sonamu::cli
