#include "cli/command_table.hpp"

#include "cli/commands.hpp"
#include "cli/fleet_report_command.hpp"
#include "cli/lint_command.hpp"
#include "cli/schema_command.hpp"

namespace sonamu::cli {

namespace {

/// The options every `migrate` command accepts.
void add_common_options(CLI::App& command, Options& options) {
  command.add_option("--config", options.config,
                     "Configuration file (else the nearest sonamu.config.json upward)")
      ->group("Common");
  command.add_option("--env", options.env, "Environment (else NODE_ENV, else development)")
      ->group("Common");
  command.add_option("--migrations-dir", options.migrations_dir,
                     "Migration sources (default: migrations)")
      ->group("Common");
  command.add_flag("-q,--quiet", options.quiet, "Print only errors")
      ->group("Common");
  command.add_flag("--no-color", options.no_color, "Plain ASCII marks, no colours (as NO_COLOR)")
      ->group("Common");
  command.add_flag("--debug", options.debug, "Log connection and lock events to stderr")
      ->group("Common");
}

/// The options of commands that talk to the database.
void add_database_options(CLI::App& command, Options& options) {
  command.add_option("-c,--connection", options.connection,
                     "PostgreSQL URL or key=value string (else DATABASE_URL, else the config "
                     "file, else PG* variables, else the local development database)")
      ->group("Connection");
  command.add_option("--connect-timeout", options.connect_timeout,
                     "Seconds to wait for the server (default 10)")
      ->check(CLI::Range(1, 3600))
      ->group("Connection");
  command.add_option("--table", options.table, "Bookkeeping table name (default knex_migrations)")
      ->group("Connection");
  command.add_option("--schema", options.schema, "Schema of the bookkeeping tables (default public)")
      ->group("Connection");
  command.add_option("--extension", options.extension,
                     "Extension of recorded and shown migration names (default: the file's own, .cpp or .sql)")
      ->group("Connection");
}

/// CLI::Range for seconds, refusing NaN too: CLI::Range compares, and every comparison with
/// NaN is false, so it lets "nan" through. Same help text and message as CLI::Range.
CLI::Validator seconds_range(double low, double high) {
  const CLI::Range range(low, high);
  return CLI::Validator(
      [low, high](std::string& input) {
        double value = 0;
        const bool in_range = CLI::detail::lexical_cast(input, value) && value >= low && value <= high;
        return in_range ? std::string() : "Value " + input + " not in range " + std::to_string(low) + " to " +
                                              std::to_string(high);
      },
      range.get_description());
}

void add_lock_options(CLI::App& command, Options& options) {
  command.add_option("--lock-timeout", options.lock_timeout,
                     "Seconds to wait for another runner's migration lock (default 60)")
      ->check(seconds_range(0.0, 86400.0))
      ->group("Locks and limits");
}

/// Every statement a command sends runs under these, its reads of the bookkeeping included.
void add_limit_options(CLI::App& command, Options& options) {
  command.add_option("--statement-timeout", options.statement_timeout,
                     "PostgreSQL statement_timeout for migrations and the tool's reads (e.g. 30s, 5min, 500ms)")
      ->group("Locks and limits");
  command.add_option("--lock-timeout-sql", options.sql_lock_timeout,
                     "PostgreSQL lock_timeout for migrations and the tool's reads (default 5s; 0 waits without limit)")
      ->group("Locks and limits");
}

void add_retry_options(CLI::App& command, Options& options) {
  command.add_option("--lock-attempts", options.lock_attempts,
                     "Tries of a batch that meets a lock timeout or a deadlock (default 5; 1: no retry)")
      ->check(CLI::Range(1, 100))
      ->group("Locks and limits");
  command.add_option("--lock-retry-delay", options.lock_retry_delay,
                     "Seconds before the second try, doubled each time up to 30 (default 1)")
      ->check(seconds_range(0.0, 3600.0))
      ->group("Locks and limits");
}

void add_migrating_options(CLI::App& command, Options& options) {
  command.add_flag("-v,--verbose", options.verbose,
                   "Show each migration, the SQL it runs and its duration")
      ->group("Output");
  add_limit_options(command, options);
  add_retry_options(command, options);
  command.add_flag("--dry-run", options.dry_run,
                   "Run the real SQL in a transaction that is always rolled back: nothing changes")
      ->group("Output");
}

void add_rollback_safety_options(CLI::App& command, Options& options) {
  command.add_flag("-y,--yes", options.yes, "Confirm deleting the data the rollback drops");
  command.add_option("--backup", options.backup, "pg_dump the database to this file first");
  command.add_flag("--replace-backup", options.replace_backup, "Let --backup replace an existing file");
}

/// The options of commands that run on a whole fleet.
void add_fleet_options(CLI::App& command, Options& options) {
  CLI::Option* fleet =
      command.add_option("--fleet", options.fleet, "Run on every target of this fleet of sonamu.config.json")
      ->group("Fleet");
  // Without a fleet they would mean nothing, and ignoring them would hide a mistyped command.
  command.add_option("--parallel", options.parallel, "Fleet targets migrated at once (default 4)")
      ->check(CLI::Range(1u, 64u))
      ->needs(fleet)
      ->group("Fleet");
  command.add_option("--parallel-per-server", options.parallel_per_server,
                     "Fleet targets migrated at once on one server (default: --parallel)")
      ->check(CLI::Range(1u, 64u))
      ->needs(fleet)
      ->group("Fleet");
  command.add_option("--canary", options.canary,
                     "Run the first K fleet targets one after another first; a failure stops the fleet")
      ->check(CLI::Range(std::size_t{0}, std::size_t{1000000}))
      ->needs(fleet)
      ->group("Fleet");
  command.add_flag("--fail-fast", options.fail_fast, "Start no further fleet target after one fails")->needs(fleet)
      ->group("Fleet");
  command.add_option("--shard", options.shard,
                     "Run only share K of N of the targets (K/N, by a hash of each target's name)")
      ->needs(fleet)
      ->group("Fleet");
  command.add_flag("--resume", options.resume,
                   "Run only the fleet targets that failed or did not start in the last run of this command")
      ->needs(fleet)
      ->group("Fleet");
  command.add_option("--state", options.state,
                     "The fleet's state file (default: sonamu.fleet-state.FLEET.COMMAND.json beside the config)")
      ->needs(fleet)
      ->group("Fleet");
}

void run_options(CLI::App& command, Options& options) {
  command.add_option("--to", options.to, "Stop after this migration (name with or without extension)");
}

void rollback_options(CLI::App& command, Options& options) {
  add_rollback_safety_options(command, options);
  CLI::Option* all = command.add_flag("--all", options.all, "Revert every batch, newest first, one transaction each");
  CLI::Option* to = command.add_option("--to", options.to, "Revert every migration applied after this one");
  CLI::Option* step =
      command.add_option("--step", options.step, "Revert the last N migrations")->check(CLI::Range(1, 1000000));
  exclude_each_other({all, to, step});
  command.add_flag("--force", options.force,
                   "Allow --all in production; roll back irreversible migrations (their record only)");
}

void down_options(CLI::App& command, Options& options) {
  add_rollback_safety_options(command, options);
  command.add_flag("--force", options.force, "Roll back an irreversible migration (its record only)");
}

void status_options(CLI::App& command, Options& options) {
  add_limit_options(command, options);
  command.add_flag("--check", options.check,
                   "Exit 1 when migrations are pending or applied ones were edited (a CI gate)");
}

void accept_options(CLI::App& command, Options& options) {
  add_limit_options(command, options);
  command.add_option("name", options.name, "Applied migration, with or without extension")->required();
}

void make_options(CLI::App& command, Options& options) {
  command.add_option("name", options.name, "Name of the migration (an identifier)")->required();
  command.add_flag("--sql", options.sql,
                   "Write YYYYMMDDHHMMSS_NAME.sql with -- migrate:up and -- migrate:down sections");
}

void init_options(CLI::App& command, Options& options) {
  command.add_option("project", options.folder, "The project's folder (created if needed; default: this one)");
  command.add_option("--name", options.executable,
                     "The migration executable's name (default: the folder's name, then _migrate)");
}

void verify_options(CLI::App& command, Options& options) {
  command.add_option("name", options.name, "Only this pending migration");
  command.add_flag("--all", options.all, "Every migration, from the base (applied ones are reverted first)");
  command.add_flag("-v,--verbose", options.verbose, "Show each migration and the SQL it runs");
  command.add_flag("--force", options.verify_in_production,
                   "Run in production too (it keeps the locks its migrations take until it ends)");
  add_limit_options(command, options);
}

void history_options(CLI::App& command, Options& options) {
  add_limit_options(command, options);
  command.add_option("--limit", options.limit, "How many entries (default 20)")->check(CLI::Range(1, 1000000));
}

void record_options(CLI::App& command, Options& options) {
  add_limit_options(command, options);
  command.add_option("name", options.name, "Migration name, with or without extension")->required();
  command.add_flag("-y,--yes", options.yes, "Do not ask for confirmation");
}

void unlock_options(CLI::App& command, Options& options) { add_limit_options(command, options); }

constexpr unsigned migrating = connects | writes | migrates | reports_json | fleets | runs_code;

}  // namespace

void exclude_each_other(const std::vector<CLI::Option*>& choices) {
  // Each names what a rollback reverts in its own way: two of them are a contradiction, never
  // resolved to one. CLI11 names the pair in the order the options were added, whatever the
  // order on the command line.
  for (std::size_t i = 0; i < choices.size(); ++i) {
    for (std::size_t j = i + 1; j < choices.size(); ++j) choices[i]->excludes(choices[j]);
  }
}

const std::vector<Command>& command_table() {
  static const std::vector<Command> table = {
      {"run", "Apply all pending migrations as one new batch, in one transaction", migrating,
       run_options, run_command, run_run, CommandResult::Kind::migrate, "migrated"},
      {"up", "Apply the next pending migration as a batch of its own", migrating | one_migration, nullptr,
       run_command, run_up, CommandResult::Kind::migrate, "migrated"},
      {"rollback", "Revert the latest batch (or every batch with --all)", migrating | reverts, rollback_options,
       run_command, run_rollback, CommandResult::Kind::migrate, "rolled back"},
      {"down", "Revert the single most recently applied migration", migrating | reverts | one_migration,
       down_options, run_command, run_down, CommandResult::Kind::migrate, "rolled back"},
      {"status", "List executed migrations by batch, then pending ones (read-only)", connects | reports_json | fleets,
       status_options, status_command, run_status, CommandResult::Kind::status, "with pending migrations"},
      {"make", "Create migrations/YYYYMMDDHHMMSS_NAME.cpp (or .sql with --sql) from a template", 0, make_options, make_command},
      {"init", "Start a project of your own: CMakeLists.txt, sonamu.config.json and migrations/", 0, init_options,
       init_command},
      {"verify", "Check that down undoes up: up, down, up in a transaction that is rolled back",
       connects | writes | fleets | runs_code, verify_options, verify_command, run_verify, CommandResult::Kind::verify, "verified"},
      {"history", "Show what was run, rolled back, forgotten or marked, newest first",
       connects | reports_json | fleets, history_options, history_command, run_history, CommandResult::Kind::history, "read"},
      {"lint", "Rehearse the pending migrations and report the locks and rewrites they cause on existing tables",
       connects | writes | reports_json | rehearses, lint_options, lint_command},
      {"unlock", "Reset knex's lock row left at is_locked = 1 by a crashed tool", connects | writes,
       unlock_options, unlock_command},
      {"forget", "Delete the record of a migration without running its down", connects | writes,
       record_options, forget_command},
      {"mark", "Record a migration as applied without running its up", connects | writes, record_options,
       mark_command},
      {"accept", "Take the edited source of an applied migration as the one it was applied with",
       connects | writes, accept_options, accept_command},
      {"schema", "Print the live schema read from PostgreSQL's catalog (--file writes it, --check compares)",
       connects | reports_json, [](CLI::App& c, Options& o) { add_limit_options(c, o); schema_options(c, o); },
       schema_command},
      {"fleet-report", "Merge the --json documents of a fleet command's shards into one report and exit code",
       reports_json, fleet_report_options, fleet_report_command},
  };
  return table;
}

const Command* find_command(const std::string& name) {
  for (const auto& command : command_table()) {
    if (name == command.name) return &command;
  }
  return nullptr;
}

const Command& command_of(const Options& options) { return *find_command(options.command); }

void add_migrate_commands(CLI::App& app, Options& options) {
  CLI::App* migrate = app.add_subcommand("migrate", "Apply, revert and inspect migrations");
  migrate->require_subcommand(1);
  for (const auto& command : command_table()) {
    CLI::App* sub = migrate->add_subcommand(command.name, command.help);
    // --help lists the groups in the order their first option was added: the command's own
    // options first (what a rollback needs: --yes, --backup, --all, --to, --step, --force),
    // then output, connection, limits, fleet and the common ones.
    if (command.add_options != nullptr) command.add_options(*sub, options);
    if (command.traits & migrates) add_migrating_options(*sub, options);
    if (command.traits & reports_json) {
      sub->add_flag("--json", options.json, "One JSON document on stdout")->group("Output");
    }
    if (command.traits & connects) add_database_options(*sub, options);
    if (command.traits & writes) add_lock_options(*sub, options);
    if (command.traits & fleets) add_fleet_options(*sub, options);
    add_common_options(*sub, options);
    const std::string name = command.name;
    sub->callback([&options, name] { options.command = name; });
  }
}

}  // namespace sonamu::cli
