#pragma once
/// The `migrate` subcommands in one table: name, help, options and handler. The parser,
/// `--help`, completion and the "did you mean" list are all generated from it.

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
};

/// One `migrate` subcommand.
struct Command {
  const char* name;
  const char* help;
  unsigned traits;
  void (*add_options)(CLI::App& command, Options& options);  ///< its own options, if any
  ExitCode (*handler)(Invocation& invocation);
};

/// Every `migrate` subcommand, in the order `--help` lists them.
const std::vector<Command>& command_table();

/// The command named `name`; nullptr for none.
const Command* find_command(const std::string& name);

/// Makes any two of `choices` a usage error naming both ("Error: --all excludes --step"),
/// raised while parsing: before anything connects.
void exclude_each_other(const std::vector<CLI::Option*>& choices);

/// Adds `migrate` and its subcommands, with their options bound to `options`, to `app`.
/// A parsed subcommand stores its name in `options.command`.
void add_migrate_commands(CLI::App& app, Options& options);

}  // namespace sonamu::cli
