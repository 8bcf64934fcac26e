#include "cli/app.hpp"

#include "cli/format.hpp"
#include "cli/terminal_reporter.hpp"
#include "core/error.hpp"
#include "core/migrator.hpp"
#include "core/registry.hpp"
#include "core/source_check.hpp"
#include "pg/connect.hpp"

#include <CLI/CLI.hpp>
#include <pqxx/except>

#include <cstdlib>
#include <filesystem>
#include <functional>

namespace sonamu::cli {

namespace {

/// Everything the command line can say, parsed before anything runs.
struct Options {
  std::optional<std::string> connection;
  int connect_timeout = 10;
  double lock_timeout = 60;
  std::string table = "knex_migrations";
  std::string schema = "public";
  std::string extension = ".cpp";
  std::string migrations_dir = "migrations";
  bool verbose = false;
  std::optional<std::string> to;
  bool all = false;
};

/// The options every `migrate` command accepts.
void add_common_options(CLI::App& command, Options& options) {
  command.add_option("-c,--connection", options.connection,
                     "PostgreSQL URL or key=value string (else DATABASE_URL, else PG* "
                     "variables, else the local development database)");
  command.add_option("--connect-timeout", options.connect_timeout, "Seconds to wait for the server")
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
  command.add_option("--lock-timeout", options.lock_timeout,
                     "Seconds to wait for another runner's migration lock")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0));
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

int execute(const std::string& command, const Options& options, std::ostream& out,
            std::ostream& err) {
  const Registry& registry = Registry::global();
  check_build(registry, options);

  pg::ConnectionRequest request;
  request.connection = options.connection;
  request.connect_timeout_seconds = options.connect_timeout;
  request.working_directory = std::filesystem::current_path().string();
  const auto target = pg::resolve_connection(request, environment);
  const auto cx = pg::connect(target);

  MigratorSettings settings;
  settings.location = {options.schema, options.table};
  settings.extension = normalised_extension(options.extension);
  settings.lock_timeout = std::chrono::milliseconds(static_cast<long long>(options.lock_timeout * 1000));
  TerminalReporter reporter(out, err, options.verbose);
  Migrator migrator(*cx, registry, reporter, settings);

  try {
    ExitCode code = ExitCode::ok;
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
    }
    return static_cast<int>(code);
  } catch (const pqxx::broken_connection& e) {
    throw Error(ExitCode::connection, "Lost the connection to PostgreSQL at " +
                                          target.description + ": " + pg::one_line_reason(e.what()));
  }
}

}  // namespace

int run_app(int argc, char** argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"sonamu: PostgreSQL migrations compiled into one binary, knex-compatible"};
  app.name("sonamu");
  app.require_subcommand(1);
  CLI::App* migrate = app.add_subcommand("migrate", "Apply, revert and inspect migrations");
  migrate->require_subcommand(1);

  Options options;
  std::string command;
  struct CommandSpec {
    const char* name;
    const char* description;
  };
  const CommandSpec specs[] = {
      {"run", "Apply all pending migrations as one new batch, in one transaction"},
      {"up", "Apply the next pending migration as a batch of its own"},
      {"rollback", "Revert the latest batch (or every batch with --all)"},
      {"down", "Revert the single most recently applied migration"},
      {"status", "List executed migrations by batch, then pending ones"},
  };
  for (const auto& spec : specs) {
    CLI::App* sub = migrate->add_subcommand(spec.name, spec.description);
    add_common_options(*sub, options);
    if (std::string(spec.name) != "status") {
      sub->add_flag("-v,--verbose", options.verbose,
                    "Show each migration, the SQL it runs and its duration");
    }
    if (std::string(spec.name) == "run") {
      sub->add_option("--to", options.to, "Stop after this migration (name with or without extension)");
    }
    if (std::string(spec.name) == "rollback") {
      sub->add_flag("--all", options.all, "Revert every batch, newest first, one transaction each");
    }
    sub->callback([&command, name = std::string(spec.name)] { command = name; });
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Help is a ParseError with exit code 0; CLI11 prints the help of the chosen subcommand.
    if (e.get_exit_code() == 0) {
      app.exit(e, out, err);
      return 0;
    }
    err << "Error: " << e.what() << " (see sonamu --help)\n";
    return static_cast<int>(ExitCode::usage);
  }

  try {
    return execute(command, options, out, err);
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
