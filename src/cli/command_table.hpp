#pragma once
/// The `migrate` subcommands in one table: name, help, options and handler. The parser,
/// `--help`, completion and the "did you mean" list are all generated from it.

#include "cli/command_runs.hpp"
#include "cli/options.hpp"
#include "core/exit_code.hpp"

#include <CLI/CLI.hpp>

#include <vector>

namespace sonamu::cli {

struct Invocation;

/// What a command does, beyond its own options.
enum CommandTraits : unsigned {
  connects = 1u << 0,  ///< talks to the database: connection options
  writes = 1u << 1,    ///< takes the migration lock and may change the database
  migrates = 1u << 2,  ///< runs migration code: verbose, timeouts, --json, --dry-run
  reports_json = 1u << 3,  ///< prints one JSON document with --json
  fleets = 1u << 4,        ///< runs on every target of a fleet with --fleet NAME
  reverts = 1u << 5,       ///< reverts migrations (rollback, down): data at risk, backup
  one_migration = 1u << 6, ///< applies or reverts a single migration (up, down)
  runs_code = 1u << 7,     ///< runs migration code, whose statements may wait for table locks
  rehearses = 1u << 8,     ///< only rehearses (lint): its statements wait at most 2 s for a lock
};

/// One `migrate` subcommand.
struct Command {
  const char* name;
  const char* help;
  unsigned traits;
  void (*add_options)(CLI::App& command, Options& options);  ///< its own options, if any
  ExitCode (*handler)(Invocation& invocation);
  /// The function the handler and each fleet target call for the command's value; set for
  /// every command with the `fleets` trait.
  CommandRun run = nullptr;
  /// Which fields of that value the command fills.
  CommandResult::Kind kind = CommandResult::Kind::migrate;
  /// What "done" means in a fleet's counts line: "migrated", "rolled back", ...
  const char* fleet_done = "";
};

/// Every `migrate` subcommand, in the order `--help` lists them.
const std::vector<Command>& command_table();

/// The command named `name`; nullptr for none.
const Command* find_command(const std::string& name);

/// The command the parser stored in `options` (a parsed command line always has one).
const Command& command_of(const Options& options);

/// Makes any two of `choices` a usage error naming both ("Error: --all excludes --step"),
/// raised while parsing: before anything connects.
void exclude_each_other(const std::vector<CLI::Option*>& choices);

/// Adds `migrate` and its subcommands, with their options bound to `options`, to `app`.
/// A parsed subcommand stores its name in `options.command`.
void add_migrate_commands(CLI::App& app, Options& options);

}  // namespace sonamu::cli
