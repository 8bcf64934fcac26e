#pragma once
/// The whole command line of `sonamu`: the top level (--version, completion) and the `migrate`
/// commands of the command table. The parser, `--help`, completion and the manual page are all
/// built from this one definition.

#include "cli/options.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace sonamu::cli {

/// One line describing the program, first line of `--help` and NAME of the manual page.
extern const char* const program_description;

/// Fills `app` with every option and subcommand, bound to `options` and `shell` (the argument
/// of `completion`). Returns the `completion` subcommand.
CLI::App* define_app(CLI::App& app, Options& options, std::string& shell);

}  // namespace sonamu::cli
