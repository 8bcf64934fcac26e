#include <sonamu/cli.hpp>

#include "cli/backup.hpp"
#include "cli/completion.hpp"
#include "cli/format.hpp"
#include "cli/json_reporter.hpp"
#include "cli/options.hpp"
#include "cli/scaffold.hpp"
#include "cli/settings.hpp"
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
#include <nlohmann/json.hpp>
#include <pqxx/except>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <unistd.h>

#ifndef SONAMU_VERSION
#define SONAMU_VERSION "0.0.0"
#endif

namespace sonamu::cli {

namespace {

/// One `migrate` subcommand: the table help and dispatch are generated from.
struct CommandSpec {
  const char* name;
  const char* description;
  bool mutating;  ///< takes the lock and may change the database
  bool runs;      ///< runs migrations (verbose, timeouts, json)
};

const CommandSpec commands[] = {
    {"run", "Apply all pending migrations as one new batch, in one transaction", true, true},
    {"up", "Apply the next pending migration as a batch of its own", true, true},
    {"rollback", "Revert the latest batch (or every batch with --all)", true, true},
    {"down", "Revert the single most recently applied migration", true, true},
    {"status", "List executed migrations by batch, then pending ones (read-only)", false, false},
    {"make", "Create migrations/YYYYMMDDHHMMSS_NAME.cpp from a template", false, false},
    {"verify", "Check that down undoes up: up, down, up in a transaction that is rolled back", true, false},
    {"history", "Show what was run, rolled back, forgotten or marked, newest first", false, false},
    {"unlock", "Reset knex's lock row left at is_locked = 1 by a crashed tool", true, false},
    {"forget", "Delete the record of a migration without running its down", true, false},
    {"mark", "Record a migration as applied without running its up", true, false},
};

/// The options every `migrate` command accepts.
void add_common_options(CLI::App& command, Options& options) {
  command.add_option("--config", options.config,
                     "Configuration file (else the nearest sonamu.config.json upward)");
  command.add_option("--env", options.env, "Environment (else NODE_ENV, else development)");
  command.add_option("--migrations-dir", options.migrations_dir,
                     "Migration sources (default: migrations)");
  command.add_flag("-q,--quiet", options.quiet, "Print only errors");
  command.add_flag("--no-color", options.no_color, "Plain ASCII marks, no colours (as NO_COLOR)");
  command.add_flag("--debug", options.debug, "Log connection and lock events to stderr");
}

/// The options of commands that talk to the database.
void add_database_options(CLI::App& command, Options& options) {
  command.add_option("-c,--connection", options.connection,
                     "PostgreSQL URL or key=value string (else DATABASE_URL, else the config "
                     "file, else PG* variables, else the local development database)");
  command.add_option("--connect-timeout", options.connect_timeout,
                     "Seconds to wait for the server (default 10)")
      ->check(CLI::Range(1, 3600));
  command.add_option("--table", options.table, "Bookkeeping table name (default knex_migrations)");
  command.add_option("--schema", options.schema, "Schema of the bookkeeping tables (default public)");
  command.add_option("--extension", options.extension,
                     "Extension appended to migration names when recording them (default .cpp)");
}

void add_lock_options(CLI::App& command, Options& options) {
  command.add_option("--lock-timeout", options.lock_timeout,
                     "Seconds to wait for another runner's migration lock (default 60)")
      ->check(CLI::Range(0.0, 86400.0));
}

void add_run_options(CLI::App& command, Options& options) {
  command.add_flag("-v,--verbose", options.verbose,
                   "Show each migration, the SQL it runs and its duration");
  command.add_option("--statement-timeout", options.statement_timeout,
                     "PostgreSQL statement_timeout for migrations (e.g. 30s, 5min, 500ms)");
  command.add_option("--lock-timeout-sql", options.sql_lock_timeout,
                     "PostgreSQL lock_timeout for migrations (e.g. 5s)");
}

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

const char* environment(const char* name) { return std::getenv(name); }

bool is_mutating(const std::string& command) {
  for (const auto& spec : commands) {
    if (command == spec.name) return spec.mutating;
  }
  return false;
}

/// Checks that need no database: the compiled migrations themselves, and the sources on disk.
void check_build(const Registry& registry, const std::string& migrations_dir) {
  if (!registry.problems().empty()) {
    throw Error(ExitCode::usage, join(registry.problems()));
  }
  std::vector<std::string> known;
  for (const auto& migration : registry.migrations()) known.push_back(migration.stem);
  const auto stale = uncompiled_sources(migrations_dir, known);
  if (!stale.empty()) {
    throw Error(ExitCode::mismatch,
                "These migration files in " + migrations_dir +
                    " are not compiled into this binary: " + join(stale) +
                    "; rebuild it (cmake --build build) before migrating");
  }
}

/// Refusals that protect production, decided before connecting.
void check_guards(const Options& options, const std::string& environment_name) {
  if (options.command == "rollback" && options.all && environment_name == "production" && !options.dry_run &&
      !options.force) {
    throw Error(ExitCode::usage,
                "Refusing `rollback --all` in production: it reverts every migration and drops "
                "every table they created; pass --force if that is really intended");
  }
}

/// Asks `question` on the terminal; true for y or yes.
bool ask(std::ostream& err, const std::string& question) {
  err << question << " [y/N] " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

/// forget and mark change the record without running code: confirmed, or stopped.
void require_confirmation(const Options& options, const std::string& question, std::ostream& err) {
  if (options.yes) return;
  if (!::isatty(STDIN_FILENO)) {
    throw Error(ExitCode::usage, "`migrate " + options.command +
                                     "` changes the bookkeeping table without running the "
                                     "migration; pass --yes to confirm (stdin is not a terminal)");
  }
  if (!ask(err, question)) throw Error(ExitCode::migration_failed, "Cancelled: nothing was changed");
}

/// What the JSON document says about where the command ran, filled in as it becomes known.
struct Context {
  std::string environment;
  std::string database;
};

void configure_logging(bool debug) {
  // stderr only: stdout stays the command's output (and the JSON document).
  auto logger = spdlog::stderr_logger_mt("sonamu");
  logger->set_pattern("[%l] %v");
  logger->set_level(debug ? spdlog::level::debug : spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

int execute(const Options& options, Context& context, std::ostream& out, std::ostream& err) {
  const auto cwd = std::filesystem::current_path().string();
  const Settings settings = resolve_settings(options, cwd, environment);
  context.environment = settings.environment;
  if (settings.config_path) spdlog::debug("configuration: {}", *settings.config_path);

  if (options.command == "make") {
    const auto path = create_migration_file(settings.migrations_dir, options.name,
                                            std::chrono::system_clock::now());
    if (!options.quiet) out << "Created Migration: " << path << '\n';
    return 0;
  }

  const Registry& registry = Registry::global();
  check_build(registry, settings.migrations_dir);
  check_guards(options, settings.environment);

  const auto target = pg::resolve_connection(settings.connection, environment);
  context.database = target.description;
  if (is_mutating(options.command) && !options.quiet && !options.json) {
    // First line of every command that writes: where it is about to write.
    err << "Environment: " << settings.environment << ", database: " << target.description << '\n'
        << std::flush;
  }

  Style style;
  const char* no_color = std::getenv("NO_COLOR");
  if (options.no_color || (no_color != nullptr && *no_color != '\0')) {
    style.emoji = false;
  } else {
    style.color = ::isatty(STDOUT_FILENO) != 0;
  }

  SignalWatcher signals;
  spdlog::debug("connecting to {} (from {})", target.description, target.source);
  const auto cx = pg::connect(target);
  spdlog::debug("connected: server {}, backend pid {}", cx->server_version(), cx->backendpid());
  signals.watch(cx.get());

  MigratorSettings migrator_settings = settings.migrator;
  migrator_settings.dry_run = options.dry_run;
  migrator_settings.force = options.force;
  if (options.dry_run && !migrator_settings.sql_lock_timeout) {
    // A rehearsal takes the same table locks as the real thing: it must not queue behind
    // production traffic, or make it queue, for long.
    migrator_settings.sql_lock_timeout = "2s";
  }
  migrator_settings.confirm_data_loss = [&](const std::vector<DataAtRisk>&) {
    if (options.yes) return true;
    if (!::isatty(STDIN_FILENO)) {
      throw Error(ExitCode::usage,
                  "This rollback deletes the data listed above; pass --yes to confirm (stdin is not a terminal)");
    }
    return ask(err, "Roll back and delete this data?");
  };
  if (options.dry_run && !options.quiet && !options.json) {
    out << "Dry run: every statement runs in one transaction that is rolled back; lock_timeout "
        << *migrator_settings.sql_lock_timeout << "\n" << std::flush;
  }
  const bool rolls_back = options.command == "rollback" || options.command == "down";
  if (rolls_back && settings.backup && !options.dry_run) {
    const long long size = backup_database(target, *settings.backup);
    if (!options.quiet) err << "Backup: " << *settings.backup << " (" << size << " bytes)\n" << std::flush;
  }

  TerminalReporter terminal(out, err, {options.verbose || options.dry_run, options.quiet, options.dry_run}, style);
  JsonReporter json_reporter;
  Reporter& reporter = options.json ? static_cast<Reporter&>(json_reporter) : terminal;
  Migrator migrator(*cx, registry, reporter, migrator_settings);
  const std::string lock_table =
      settings.migrator.location.schema + "." + settings.migrator.location.table + "_lock";

  try {
    ExitCode code = ExitCode::ok;
    const std::string& command = options.command;
    if (command == "status") {
      const auto report = migrator.status();
      if (options.check && !report.pending.empty()) code = ExitCode::migration_failed;
      if (options.json) {
        nlohmann::json document = {{"command", command},
                                   {"environment", context.environment},
                                   {"database", context.database},
                                   {"ok", code == ExitCode::ok},
                                   {"exit_code", static_cast<int>(code)}};
        document.update(status_json(report));
        out << document.dump(2) << '\n';
      } else if (!options.quiet) {
        out << status_text(report, style);
      }
    } else if (command == "run" || command == "up" || command == "rollback" || command == "down") {
      code = command == "run"    ? migrator.run(options.to)
             : command == "up"   ? migrator.up()
             : command == "down" ? migrator.down()
             : options.all       ? migrator.rollback_all()
             : options.to        ? migrator.rollback_to(*options.to)
             : options.step      ? migrator.rollback_steps(*options.step)
                                 : migrator.rollback();
      if (options.json) {
        const auto& batches = json_reporter.batches();
        out << nlohmann::json{{"command", command == "rollback" && options.all ? "rollback --all" : command},
                              {"environment", context.environment},
                              {"database", context.database},
                              {"ok", code == ExitCode::ok},
                              {"exit_code", static_cast<int>(code)},
                              {"result", code != ExitCode::ok ? "failed"
                                         : batches.empty()    ? "nothing_to_do"
                                                              : "done"},
                              {"dry_run", options.dry_run},
                              {"batches", batches},
                              {"skipped", json_reporter.skipped()},
                              {"data_at_risk", json_reporter.data_at_risk()},
                              {"error", json_reporter.error()}}
                   .dump(2)
            << '\n';
      } else if (options.dry_run && !options.quiet) {
        out << "Dry run: nothing was changed\n";
      }
    } else if (command == "verify") {
      VerifyRequest request;
      request.all = options.all;
      if (!options.name.empty()) request.name = options.name;
      code = migrator.verify(request);
      if (!options.quiet) out << "Verify: nothing was changed\n";
    } else if (command == "history") {
      const auto entries = migrator.history(options.limit);
      if (options.json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& entry : entries) {
          list.push_back({{"action", entry.action}, {"name", entry.name}, {"batch", entry.batch},
                          {"started_at", entry.started_text}, {"duration_ms", entry.duration_ms},
                          {"success", entry.success},
                          {"error", entry.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(entry.error)},
                          {"db_user", entry.db_user}, {"client_host", entry.client_host},
                          {"tool_version", entry.tool_version}});
        }
        out << nlohmann::json{{"command", "history"}, {"environment", context.environment},
                              {"database", context.database}, {"ok", true}, {"exit_code", 0},
                              {"history", list}}
                   .dump(2)
            << '\n';
      } else if (!options.quiet) {
        out << history_text(entries, style);
      }
    } else if (command == "unlock") {
      const bool was_locked = migrator.unlock();
      if (!options.quiet) {
        out << (was_locked ? "Unlocked " + lock_table + ": is_locked was 1, now 0\n"
                           : lock_table + " was not locked: nothing changed\n");
      }
    } else if (command == "forget") {
      require_confirmation(options, "Delete the record of " + options.name + " without running its down?", err);
      const auto change = migrator.forget(options.name);
      if (!options.quiet) {
        out << "Forgot " << change.name << " (batch " << change.batch
            << "): its record was deleted; its down function was not run\n";
      }
    } else if (command == "mark") {
      require_confirmation(options, "Record " + options.name + " as applied without running its up?", err);
      const auto change = migrator.mark(options.name);
      if (!options.quiet) {
        out << "Marked " << change.name << " as applied in batch " << change.batch
            << "; its up function was not run\n";
      }
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
  names.emplace_back("completion");
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

/// With --json, failures are a JSON document on stdout too, so a script always gets one.
void print_json_failure(std::ostream& out, const Options& options, const Context& context, int code,
                        const std::string& message) {
  if (!options.json) return;
  out << nlohmann::json{{"command", options.command},
                        {"environment", context.environment.empty() ? nlohmann::json(nullptr)
                                                                    : nlohmann::json(context.environment)},
                        {"database", context.database.empty() ? nlohmann::json(nullptr)
                                                              : nlohmann::json(context.database)},
                        {"ok", false},
                        {"exit_code", code},
                        {"error", {{"message", message}}}}
             .dump(2)
      << '\n';
}

}  // namespace

int run_app(int argc, char** argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"sonamu: PostgreSQL migrations compiled into one binary, knex-compatible"};
  app.name("sonamu");
  app.set_version_flag("--version", std::string("sonamu ") + SONAMU_VERSION);
  app.require_subcommand(1);
  CLI::App* migrate = app.add_subcommand("migrate", "Apply, revert and inspect migrations");
  migrate->require_subcommand(1);

  Options options;
  for (const auto& spec : commands) {
    CLI::App* sub = migrate->add_subcommand(spec.name, spec.description);
    const std::string name = spec.name;
    add_common_options(*sub, options);
    if (name != "make") add_database_options(*sub, options);
    if (spec.mutating) add_lock_options(*sub, options);
    if (spec.runs) add_run_options(*sub, options);
    if (spec.runs || name == "status" || name == "history") {
      sub->add_flag("--json", options.json, "One JSON document on stdout");
    }
    if (spec.runs) {
      sub->add_flag("--dry-run", options.dry_run,
                    "Run the real SQL in a transaction that is always rolled back: nothing changes");
    }
    if (name == "rollback" || name == "down") {
      sub->add_flag("-y,--yes", options.yes, "Confirm deleting the data the rollback drops");
      sub->add_option("--backup", options.backup, "pg_dump the database to this file first");
    }
    if (name == "down") {
      sub->add_flag("--force", options.force, "Roll back an irreversible migration (its record only)");
    }
    if (name == "verify") {
      sub->add_option("name", options.name, "Only this pending migration");
      sub->add_flag("--all", options.all, "Every migration, from the base (applied ones are reverted first)");
      sub->add_flag("-v,--verbose", options.verbose, "Show each migration and the SQL it runs");
      sub->add_option("--statement-timeout", options.statement_timeout, "PostgreSQL statement_timeout");
      sub->add_option("--lock-timeout-sql", options.sql_lock_timeout, "PostgreSQL lock_timeout");
    }
    if (name == "history") {
      sub->add_option("--limit", options.limit, "How many entries (default 20)")->check(CLI::Range(1, 1000000));
    }
    if (name == "run") {
      sub->add_option("--to", options.to, "Stop after this migration (name with or without extension)");
    }
    if (name == "rollback") {
      sub->add_flag("--all", options.all, "Revert every batch, newest first, one transaction each");
      sub->add_option("--to", options.to, "Revert every migration applied after this one");
      sub->add_option("--step", options.step, "Revert the last N migrations")->check(CLI::Range(1, 1000000));
      sub->add_flag("--force", options.force,
                    "Allow --all in production; roll back irreversible migrations (their record only)");
    }
    if (name == "status") {
      sub->add_flag("--check", options.check, "Exit 1 when migrations are pending (a CI gate)");
    }
    if (name == "forget" || name == "mark") {
      sub->add_option("name", options.name, "Migration name, with or without extension")->required();
      sub->add_flag("-y,--yes", options.yes, "Do not ask for confirmation");
    }
    if (name == "make") {
      sub->add_option("name", options.name, "Name of the migration (an identifier)")->required();
    }
    sub->callback([&options, name] { options.command = name; });
  }
  std::string shell;
  CLI::App* completion = app.add_subcommand("completion", "Print a shell completion script");
  completion->add_option("shell", shell, "bash or zsh")->required()->check(CLI::IsMember({"bash", "zsh"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Help and --version are ParseErrors with exit code 0; CLI11 prints them.
    if (e.get_exit_code() == 0) {
      app.exit(e, out, err);
      return 0;
    }
    err << "Error: " << e.what() << suggestion_for(argc, argv, app) << " (see sonamu --help)\n";
    return static_cast<int>(ExitCode::usage);
  }
  if (completion->parsed()) {
    out << completion_script(shell, app);
    return 0;
  }

  configure_logging(options.debug);
  Context context;
  try {
    return execute(options, context, out, err);
  } catch (const Interrupted& e) {
    const std::string message = std::string("Interrupted by ") +
                                (e.signal_number() == SIGINT ? "SIGINT" : "SIGTERM") +
                                ": the transaction in progress was rolled back and the lock released";
    err << message << '\n';
    print_json_failure(out, options, context, 128 + e.signal_number(), message);
    return 128 + e.signal_number();
  } catch (const Error& e) {
    const std::string message = pg::redact_passwords(e.what());
    err << "Error: " << message << '\n';
    print_json_failure(out, options, context, static_cast<int>(e.code()), message);
    return static_cast<int>(e.code());
  } catch (const pqxx::broken_connection& e) {
    const std::string message = "lost the connection to PostgreSQL: " + pg::one_line_reason(e.what());
    err << "Error: " << message << '\n';
    print_json_failure(out, options, context, static_cast<int>(ExitCode::connection), message);
    return static_cast<int>(ExitCode::connection);
  } catch (const std::exception& e) {
    const std::string message = pg::one_line_reason(e.what());
    err << "Error: " << message << '\n';
    print_json_failure(out, options, context, static_cast<int>(ExitCode::migration_failed), message);
    return static_cast<int>(ExitCode::migration_failed);
  }
}

}  // namespace sonamu::cli
