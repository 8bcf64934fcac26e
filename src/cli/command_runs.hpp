#pragma once
/// One function per command that a fleet can run: the single command and every target of a
/// fleet call the same one, which calls the engine once and returns the command's value.

#include "cli/options.hpp"
#include "engine/command_result.hpp"
#include "engine/migrator.hpp"
#include "engine/result_recorder.hpp"

namespace sonamu::cli {

/// The engine made with `recorder` (in front of its reporter) runs the command `options`
/// ask for; what it did is read from `recorder` into the result.
using CommandRun = CommandResult (*)(Migrator& migrator, ResultRecorder& recorder, const Options& options);

CommandResult run_run(Migrator& migrator, ResultRecorder& recorder, const Options& options);
CommandResult run_up(Migrator& migrator, ResultRecorder& recorder, const Options& options);
/// rollback, rollback --all, --to NAME and --step N
CommandResult run_rollback(Migrator& migrator, ResultRecorder& recorder, const Options& options);
CommandResult run_down(Migrator& migrator, ResultRecorder& recorder, const Options& options);
CommandResult run_verify(Migrator& migrator, ResultRecorder& recorder, const Options& options);
CommandResult run_status(Migrator& migrator, ResultRecorder& recorder, const Options& options);
CommandResult run_history(Migrator& migrator, ResultRecorder& recorder, const Options& options);

}  // namespace sonamu::cli
