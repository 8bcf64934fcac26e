#include <sonamu/cli.hpp>

#include "cli/app_definition.hpp"
#include "cli/command_table.hpp"
#include "cli/completion.hpp"
#include "cli/failure.hpp"
#include "cli/fleet_command.hpp"
#include "cli/help_format.hpp"
#include "cli/invocation.hpp"
#include "cli/printing.hpp"
#include "cli/settings.hpp"
#include "cli/suggest.hpp"
#include "cli/usage_error.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/program_name.hpp"
#include "core/registry.hpp"
#include "core/text.hpp"
#include "pg/connect.hpp"

#include <CLI/CLI.hpp>
#include <pqxx/except>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace sonamu::cli {

namespace {

const char* environment(const char* name) { return std::getenv(name); }

void configure_logging(bool debug) {
  // stderr only: stdout stays the command's output (and the JSON document).
  auto logger = spdlog::stderr_logger_mt("sonamu");
  logger->set_pattern("[%l] %v");
  logger->set_level(debug ? spdlog::level::debug : spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

/// The documented emoji, coloured on a terminal; plain ASCII with NO_COLOR or --no-color.
Style style_for(const Options& options) {
  Style style;
  const char* no_color = std::getenv("NO_COLOR");
  if (options.no_color || (no_color != nullptr && *no_color != '\0')) {
    style.emoji = false;
  } else {
    style.color = ::isatty(STDOUT_FILENO) != 0;
  }
  return style;
}

/// Resolves the settings and runs the parsed command's handler.
ExitCode dispatch(const Options& options, Context& context, std::ostream& out, std::ostream& err) {
  const Command& command = *find_command(options.command);
  Settings settings = resolve_settings(options, std::filesystem::current_path().string(), environment);
  context.environment = settings.environment;
  if (settings.config_path) spdlog::debug("configuration: {}", *settings.config_path);

  Invocation invocation(options, std::move(settings), style_for(options), context, out, err);
  if (command.traits & connects) invocation.resolve_target(Registry::global(), command.traits & writes);
  try {
    const ExitCode code = options.fleet ? fleet_command(invocation, Registry::global()) : command.handler(invocation);
    out << std::flush;
    return code;
  } catch (const pqxx::broken_connection& e) {
    throw_if_interrupted();
    throw Error(ExitCode::connection, "Lost the connection to PostgreSQL at " + invocation.target().description +
                                          ": " + pg::one_line_reason(e.what()));
  }
}

/// "did you mean" for the first word of the command line that is no command or flag but
/// nearly one.
std::string suggestion_for(int argc, char** argv, const CLI::App& app) {
  // A word that looks like an option is compared with the options, any other with the
  // commands: an option's value (`dbname=app`) is never taken for a misspelt option.
  std::vector<std::string> commands{"migrate", "completion"};
  for (const auto& command : command_table()) commands.emplace_back(command.name);
  std::vector<std::string> options;
  for (const CLI::App* migrate : app.get_subcommands({})) {
    for (const CLI::App* sub : migrate->get_subcommands({})) {
      for (const CLI::Option* option : sub->get_options()) {
        for (const auto& long_name : option->get_lnames()) options.push_back("--" + long_name);
      }
    }
  }
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    word = word.substr(0, word.find('='));
    const auto& names = word.rfind("-", 0) == 0 ? options : commands;
    if (std::find(names.begin(), names.end(), word) != names.end()) continue;
    const std::string match = closest(word, names);
    if (!match.empty()) return " (did you mean '" + match + "'?)";
  }
  return {};
}

/// Prints a failure on stderr (and as a JSON document with --json); returns its exit code.
int fail(std::ostream& out, std::ostream& err, const Options& options, const Context& context, int code,
         const std::string& message, const char* prefix = "Error: ") {
  // Messages carry names from the file system and the database: never raw control characters.
  err << prefix << printable(message) << '\n';
  print_failure(out, options, context, code, message);
  return code;
}

/// Runs the parsed command; every way it can end becomes an exit code and a message here.
int run_command(const Options& options, Context& context, std::ostream& out, std::ostream& err) {
  try {
    try {
      return static_cast<int>(dispatch(options, context, out, err));
    } catch (const Interrupted&) {
      throw;
    } catch (const std::exception&) {
      // Whatever failed after a signal failed because of it (a cancelled statement in a
      // command's reading, a backup stopped): the signal is the outcome, not a failure.
      throw_if_interrupted();
      throw;
    }
  } catch (...) {
    Failure failure = failure_of(std::current_exception(), "");
    if (!failure.interrupted) return fail(out, err, options, context, failure.exit_code, failure.message);
    // Alone on its line, as the shell shows a signal: no "Error: " before it.
    failure.message[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(failure.message[0])));
    return fail(out, err, options, context, failure.exit_code, failure.message, "");
  }
}

}  // namespace

int run_app(int argc, char** argv, std::ostream& out, std::ostream& err) {
  return run_app(argc, argv, out, err, "sonamu");
}

int run_app(int argc, char** argv, std::ostream& out, std::ostream& err, const char* program,
            const char* migrations_dir) {
  set_built_migrations_dir(migrations_dir);
  return run_app(argc, argv, out, err, program);
}

int run_app(int argc, char** argv, std::ostream& out, std::ostream& err, const char* program) {
  set_program_name(program);
  CLI::App app;
  Options options;
  std::string shell;
  CLI::App* completion = define_app(app, options, shell);
  wrap_help(app, help_width());

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Help and --version are ParseErrors with exit code 0; CLI11 prints them.
    if (e.get_exit_code() == 0) {
      app.exit(e, out, err);
      return 0;
    }
    // A command word missing or unknown: said as such, with the list of commands.
    if (const auto word_error = migrate_word_error(argc, argv)) {
      err << *word_error;
      return static_cast<int>(ExitCode::usage);
    }
    err << "Error: " << e.what() << suggestion_for(argc, argv, app) << " (see " << program_name() << " --help)\n";
    return static_cast<int>(ExitCode::usage);
  }
  if (completion->parsed()) {
    out << completion_script(shell, app);
    return 0;
  }

  configure_logging(options.debug);
  Context context;
  // The JSON document's name for the command: `rollback --all` is told apart from a rollback.
  const bool whole_rollback = (command_of(options).traits & reverts) != 0 && options.all;
  context.command = whole_rollback ? options.command + " --all" : options.command;
  return run_command(options, context, out, err);
}

}  // namespace sonamu::cli
