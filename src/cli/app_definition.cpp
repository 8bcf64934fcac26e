#include "cli/app_definition.hpp"

#include "cli/command_table.hpp"
#include "core/program_name.hpp"

#ifndef SONAMU_VERSION
#define SONAMU_VERSION "0.0.0"
#endif

namespace sonamu::cli {

const char* const program_description =
    "sonamu: PostgreSQL migrations compiled into one binary, knex-compatible";

CLI::App* define_app(CLI::App& app, Options& options, std::string& shell) {
  app.description(program_description);
  app.name(program_name());
  app.set_version_flag("--version", program_name() + " " + SONAMU_VERSION);
  app.require_subcommand(1);
  add_migrate_commands(app, options);
  CLI::App* completion = app.add_subcommand("completion", "Print a shell completion script");
  completion->add_option("shell", shell, "bash or zsh")->required()->check(CLI::IsMember({"bash", "zsh"}));
  return completion;
}

}  // namespace sonamu::cli
