#include "cli/app.hpp"

#include "cli/format.hpp"
#include "cli/signal_watcher.hpp"
#include "cli/suggest.hpp"
#include "cli/terminal_reporter.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/migrator.hpp"
#include "core/registry.hpp"
#include "core/source_check.hpp"
#include "pg/connect.hpp"

#include <CLI/CLI.hpp>
#include <pqxx/except>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <regex>
#include <unistd.h>

namespace sonamu::cli {

namespace {

/// Everything the command line can say, parsed before anything runs.
struct Options {
  std::string command;
  std::optional<std::string> connection;
  int connect_timeout = 10;
  double lock_timeout = 60;
  std::optional<std::string> statement_timeout;
  std::optional<std::string> sql_lock_timeout;
  std::string table = "knex_migrations";
  std::string schema = "public";
  std::string extension = ".cpp";
  std::string migrations_dir = "migrations";
  std::optional<std::string> env;
  bool verbose = false;
  std::optional<std::string> to;
  bool all = false;
  bool force = false;
  bool yes = false;
  std::string name;
};

/// One `migrate` subcommand: the table help and dispatch are generated from.
struct CommandSpec {
  const char* name;
  const char* description;
  bool mutating;  ///< takes the lock and may change the database
};

const CommandSpec commands[] = {
    {"run", "Apply all pending migrations as one new batch, in one transaction", true},
    {"up", "Apply the next pending migration as a batch of its own", true},
    {"rollback", "Revert the latest batch (or every batch with --all)", true},
    {"down", "Revert the single most recently applied migration", true},
    {"status", "List executed migrations by batch, then pending ones (read-only)", false},
    {"unlock", "Reset knex's lock row left at is_locked = 1 by a crashed tool", true},
    {"forget", "Delete the record of a migration without running its down", true},
    {"mark", "Record a migration as applied without running its up", true},
};

/// The options every `migrate` command accepts.
void add_common_options(CLI::App& command, Options& options) {
  command.add_option("-c,--connection", options.connection,
                     "PostgreSQL URL or key=value string (else DATABASE_URL, else PG* "
                     "variables, else the local development database)");
  command.add_option("--connect-timeout", options.connect_timeout, "Seconds to wait for the server")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  command.add_option("--table", options.table, "Bookkeeping table name")->capture_default_str();
  command.add_option("--schema", options.schema, "Schema of the bookkeeping tables")
      ->capture_default_str();
  command.add_option("--extension", options.extension,
                     "Extension appended to migration names when recording them")
      ->capture_default_str();
  command.add_option("--migrations-dir", options.migrations_dir,
                     "Migration sources, compared with the compiled-in migrations")
      ->capture_default_str();
  command.add_option("--env", options.env,
                     "Environment name (else NODE_ENV, else development)");
}

/// The options of commands that take the migration lock.
void add_lock_options(CLI::App& command, Options& options) {
  command.add_option("--lock-timeout", options.lock_timeout,
                     "Seconds to wait for another runner's migration lock")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0));
}

/// The options of commands that run migrations.
void add_run_options(CLI::App& command, Options& options) {
  command.add_flag("-v,--verbose", options.verbose,
                   "Show each migration, the SQL it runs and its duration");
  command.add_option("--statement-timeout", options.statement_timeout,
                     "PostgreSQL statement_timeout for migrations (e.g. 30s, 5min, 500ms)");
  command.add_option("--lock-timeout-sql", options.sql_lock_timeout,
                     "PostgreSQL lock_timeout for migrations (e.g. 5s)");
}

void require_duration(const std::optional<std::string>& value, const char* flag) {
  static const std::regex duration(R"(^\s*[0-9]+(\.[0-9]+)?\s*(us|ms|s|min|h|d)?\s*$)");
  if (value && !std::regex_match(*value, duration)) {
    throw Error(ExitCode::usage, std::string("Invalid ") + flag + " '" + *value +
                                     "': expected a duration such as 500ms, 30s, 5min or 1h");
  }
}

std::string normalised_extension(const std::string& extension) {
  if (extension.empty() || extension.front() == '.') return extension;
  return "." + extension;
}

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

const char* environment(const char* name) { return std::getenv(name); }

std::string environment_name(const Options& options) {
  if (options.env && !options.env->empty()) return *options.env;
  const char* node_env = std::getenv("NODE_ENV");
  return node_env && *node_env ? node_env : "development";
}

/// Checks that need no database: the compiled migrations themselves, and the sources on disk.
void check_build(const Registry& registry, const Options& options) {
  if (!registry.problems().empty()) {
    throw Error(ExitCode::usage, join(registry.problems()));
  }
  std::vector<std::string> known;
  for (const auto& migration : registry.migrations()) known.push_back(migration.stem);
  const auto stale = uncompiled_sources(options.migrations_dir, known);
  if (!stale.empty()) {
    throw Error(ExitCode::mismatch,
                "These migration files in " + options.migrations_dir +
                    " are not compiled into this binary: " + join(stale) +
                    "; rebuild it (cmake --build build) before migrating");
  }
}

/// Refusals that protect production, decided before connecting.
void check_guards(const Options& options) {
  if (options.command == "rollback" && options.all && environment_name(options) == "production" &&
      !options.force) {
    throw Error(ExitCode::usage,
                "Refusing `rollback --all` in production: it reverts every migration and drops "
                "every table they created; pass --force if that is really intended");
  }
}

/// forget and mark change the record without running code: confirm first.
bool confirmed(const Options& options, const std::string& question, std::ostream& err) {
  if (options.yes) return true;
  if (!::isatty(STDIN_FILENO)) {
    throw Error(ExitCode::usage, "`migrate " + options.command +
                                     "` changes the bookkeeping table without running the "
                                     "migration; pass --yes to confirm (stdin is not a terminal)");
  }
  err << question << " [y/N] " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

int execute(const Options& options, std::ostream& out, std::ostream& err) {
  const Registry& registry = Registry::global();
  check_build(registry, options);
  check_guards(options);
  require_duration(options.statement_timeout, "--statement-timeout");
  require_duration(options.sql_lock_timeout, "--lock-timeout-sql");

  pg::ConnectionRequest request;
  request.connection = options.connection;
  request.connect_timeout_seconds = options.connect_timeout;
  request.working_directory = std::filesystem::current_path().string();
  const auto target = pg::resolve_connection(request, environment);

  SignalWatcher signals;
  const auto cx = pg::connect(target);
  signals.watch(cx.get());

  MigratorSettings settings;
  settings.location = {options.schema, options.table};
  settings.extension = normalised_extension(options.extension);
  settings.lock_timeout =
      std::chrono::milliseconds(static_cast<long long>(options.lock_timeout * 1000));
  settings.statement_timeout = options.statement_timeout;
  settings.sql_lock_timeout = options.sql_lock_timeout;
  TerminalReporter reporter(out, err, options.verbose);
  Migrator migrator(*cx, registry, reporter, settings);
  const std::string lock_table = options.schema + "." + options.table + "_lock";

  try {
    ExitCode code = ExitCode::ok;
    const std::string& command = options.command;
    if (command == "status") {
      out << status_text(migrator.status()) << std::flush;
    } else if (command == "run") {
      code = migrator.run(options.to);
    } else if (command == "up") {
      code = migrator.up();
    } else if (command == "rollback") {
      code = options.all ? migrator.rollback_all() : migrator.rollback();
    } else if (command == "down") {
      code = migrator.down();
    } else if (command == "unlock") {
      out << (migrator.unlock() ? "Unlocked " + lock_table + ": is_locked was 1, now 0\n"
                                : lock_table + " was not locked: nothing changed\n");
    } else if (command == "forget") {
      if (!confirmed(options, "Delete the record of " + options.name + " without running its down?", err)) {
        err << "Nothing changed\n";
        return static_cast<int>(ExitCode::migration_failed);
      }
      const auto change = migrator.forget(options.name);
      out << "Forgot " << change.name << " (batch " << change.batch
          << "): its record was deleted; its down function was not run\n";
    } else if (command == "mark") {
      if (!confirmed(options, "Record " + options.name + " as applied without running its up?", err)) {
        err << "Nothing changed\n";
        return static_cast<int>(ExitCode::migration_failed);
      }
      const auto change = migrator.mark(options.name);
      out << "Marked " << change.name << " as applied in batch " << change.batch
          << "; its up function was not run\n";
    }
    out << std::flush;
    signals.watch(nullptr);
    return static_cast<int>(code);
  } catch (const pqxx::broken_connection& e) {
    signals.watch(nullptr);
    if (const int signal_number = interrupt_signal()) throw Interrupted(signal_number);
    throw Error(ExitCode::connection, "Lost the connection to PostgreSQL at " +
                                          target.description + ": " + pg::one_line_reason(e.what()));
  } catch (...) {
    signals.watch(nullptr);
    throw;
  }
}

/// "did you mean" for the first word of the command line that is no command or flag but
/// nearly one.
std::string suggestion_for(int argc, char** argv, const CLI::App& app) {
  std::vector<std::string> names;
  for (const auto& spec : commands) names.emplace_back(spec.name);
  names.emplace_back("migrate");
  for (const CLI::App* migrate : app.get_subcommands({})) {
    for (const CLI::App* sub : migrate->get_subcommands({})) {
      for (const CLI::Option* option : sub->get_options()) {
        for (const auto& long_name : option->get_lnames()) names.push_back("--" + long_name);
      }
    }
  }
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    word = word.substr(0, word.find('='));
    if (std::find(names.begin(), names.end(), word) != names.end()) continue;
    const std::string match = closest(word, names);
    if (!match.empty()) return " (did you mean '" + match + "'?)";
  }
  return {};
}

}  // namespace

int run_app(int argc, char** argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"sonamu: PostgreSQL migrations compiled into one binary, knex-compatible"};
  app.name("sonamu");
  app.require_subcommand(1);
  CLI::App* migrate = app.add_subcommand("migrate", "Apply, revert and inspect migrations");
  migrate->require_subcommand(1);

  Options options;
  for (const auto& spec : commands) {
    CLI::App* sub = migrate->add_subcommand(spec.name, spec.description);
    const std::string name = spec.name;
    add_common_options(*sub, options);
    if (spec.mutating) add_lock_options(*sub, options);
    if (name == "run" || name == "up" || name == "rollback" || name == "down") {
      add_run_options(*sub, options);
    }
    if (name == "run") {
      sub->add_option("--to", options.to, "Stop after this migration (name with or without extension)");
    }
    if (name == "rollback") {
      sub->add_flag("--all", options.all, "Revert every batch, newest first, one transaction each");
      sub->add_flag("--force", options.force, "Allow --all in production");
    }
    if (name == "forget" || name == "mark") {
      sub->add_option("name", options.name, "Migration name, with or without extension")->required();
      sub->add_flag("-y,--yes", options.yes, "Do not ask for confirmation");
    }
    sub->callback([&options, name] { options.command = name; });
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Help is a ParseError with exit code 0; CLI11 prints the help of the chosen subcommand.
    if (e.get_exit_code() == 0) {
      app.exit(e, out, err);
      return 0;
    }
    err << "Error: " << e.what() << suggestion_for(argc, argv, app) << " (see sonamu --help)\n";
    return static_cast<int>(ExitCode::usage);
  }

  try {
    return execute(options, out, err);
  } catch (const Interrupted& e) {
    err << "Interrupted by " << (e.signal_number() == SIGINT ? "SIGINT" : "SIGTERM")
        << ": the transaction in progress was rolled back and the lock released\n";
    return 128 + e.signal_number();
  } catch (const Error& e) {
    err << "Error: " << pg::redact_passwords(e.what()) << '\n';
    return static_cast<int>(e.code());
  } catch (const pqxx::broken_connection& e) {
    err << "Error: lost the connection to PostgreSQL: " << pg::one_line_reason(e.what()) << '\n';
    return static_cast<int>(ExitCode::connection);
  } catch (const std::exception& e) {
    err << "Error: " << pg::one_line_reason(e.what()) << '\n';
    return static_cast<int>(ExitCode::migration_failed);
  }
}

}  // namespace sonamu::cli
