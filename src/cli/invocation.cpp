#include "cli/invocation.hpp"

#include "cli/build_check.hpp"
#include "cli/command_table.hpp"
#include "core/error.hpp"
#include "core/program_name.hpp"
#include "core/text.hpp"
#include "host/prompt.hpp"
#include "output/migration_text.hpp"
#include "host/signal_watcher.hpp"
#include "pg/connect.hpp"
#include "pg/lock_monitor.hpp"
#include "pg/session.hpp"
#include "pg/store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include <unistd.h>

namespace sonamu::cli {

namespace {

/// `lock_timeout` of migrations unless --lock-timeout-sql or lockTimeoutSql says otherwise.
constexpr const char* default_statement_lock_timeout = "5s";

/// The engine's settings for this command line: the resolved settings plus what only the
/// command line says (dry run, force), how data loss is confirmed, and the backup. The engine
/// asks only once no transaction is open, so a question never holds a lock on a table.
MigratorSettings engine_settings(const Options& options, const Settings& resolved, std::ostream& err) {
  MigratorSettings settings = resolved.migrator;
  settings.dry_run = options.dry_run;
  settings.force = options.force;
  if (!settings.limits.lock_timeout) {
    // A migration's statement never queues behind an application's transaction for long,
    // holding every query of that table behind it: a few seconds, then the batch is rolled
    // back and tried again. A rehearsal waits less still: it is tried only once.
    settings.limits.lock_timeout =
        options.dry_run || (command_of(options).traits & rehearses) != 0 ? "2s" : default_statement_lock_timeout;
  }
  const bool yes = options.yes;
  settings.confirmation_waits = !yes && ::isatty(STDIN_FILENO) != 0;
  settings.wide_rollback_confirmed = yes || ::isatty(STDIN_FILENO) != 0;
  const bool quiet = options.quiet;
  const bool has_backup = resolved.backup.has_value();
  const bool require_yes = resolved.require_yes;
  const bool require_backup = resolved.require_backup;
  const std::string environment = resolved.environment;
  // The records the rollback reverts, told before the data at risk is measured: the question
  // names them, so that the answer is about what it does.
  auto reverting = std::make_shared<std::vector<RecordToRevert>>();
  settings.records_to_revert = [reverting](const std::vector<RecordToRevert>& records) { *reverting = records; };
  settings.confirm_data_loss = [=, &err](const std::vector<DataAtRisk>& risks) {
    // A measurement that could not finish is asked about and refused as a loss would be.
    const bool unknown = std::any_of(risks.begin(), risks.end(),
                                     [](const DataAtRisk& risk) { return risk.kind == LossKind::unknown; });
    const std::string subject = unknown ? "This rollback may delete data (the data at risk could not be measured, "
                                          "see above) and the "
                                        : "This rollback deletes the data listed above and the ";
    if (require_backup && !has_backup) {
      throw Error(ExitCode::usage, subject + environment +
                                       " environment requires a backup first; pass --backup FILE (or set "
                                       "backupBeforeRollback): nothing was changed");
    }
    if (yes) return true;
    if (::isatty(STDIN_FILENO)) {
      if (!reverting->empty()) {
        err << reverting_text(*reverting) << "\n";
      }
      return ask(err, unknown ? "The data at risk could not be measured: roll back anyway?"
                              : "Roll back and delete this data?");
    }
    if (require_yes) {
      throw Error(ExitCode::usage, subject + environment +
                                       " environment requires --yes to confirm it (stdin is not a terminal): "
                                       "nothing was changed");
    }
    // Scripts and CI steps roll back unattended, as knex does; the warnings above stay in
    // their log.
    if (!quiet) err << "stdin is not a terminal: rolling back without confirmation\n" << std::flush;
    return true;
  };
  return settings;
}

/// Refusals that protect production, decided before connecting.
void check_guards(const Options& options, bool production) {
  const bool whole_rollback = (command_of(options).traits & reverts) != 0 && options.all;
  if (!whole_rollback || !production || options.dry_run) return;
  if (!options.force) {
    throw Error(ExitCode::usage,
                "Refusing `rollback --all` in production: it reverts every migration and drops "
                "every table they created; pass --force if that is really intended");
  }
  // Off a terminal nothing else would ask: a script or CI step confirms with --yes as well.
  if (!options.yes && ::isatty(STDIN_FILENO) == 0) {
    throw Error(ExitCode::usage,
                "Refusing `rollback --all --force` in production without --yes: stdin is not a terminal, "
                "and it drops every table the migrations created; pass --yes as well if that is really intended");
  }
}

const char* environment(const char* name) { return std::getenv(name); }

/// The live status line: on a terminal only, and never where it would mix with other output
/// (a JSON document, --quiet, the --debug log on the same stream).
ProgressSettings progress_settings(const Options& options, const Context& context, const Style& style) {
  ProgressSettings settings;
  settings.status_line = ::isatty(STDERR_FILENO) != 0 && !options.json && !options.quiet && !options.debug;
  settings.command = context.command + (options.dry_run ? " --dry-run" : "");
  // NO_COLOR and --no-color take the emoji and the colours away from the line too.
  settings.style = Style{style.emoji, style.emoji};
  return settings;
}

/// Whether the command runs migration code, whose statements may wait for table locks.
bool runs_migrations(const Options& options) {
  return (command_of(options).traits & runs_code) != 0;
}

}  // namespace

/// The connection of one command and everything built on it, in the order they must end:
/// the engine first, the connection last, the signal watcher around it all.
class Connection {
 public:
  Connection(Invocation& in, const Registry& registry, const conninfo::ConnectionTarget& target)
      : cx_(open(target)),
        store_(*cx_, in.settings.migrator.location),
        session_(*cx_, store_),
        migrator_(session_, store_, registry, in.reporter(), in.settings.migrator) {
    signals_.watch(cx_.get());
    if (runs_migrations(in.options)) watch_locks(in, target);
  }
  ~Connection() { signals_.watch(nullptr); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Migrator& migrator() { return migrator_; }

 private:
  /// Lets the progress display look up what a long statement waits for, from a second
  /// connection, unless a pooler stands between this connection and its server session.
  void watch_locks(Invocation& in, const conninfo::ConnectionTarget& target) {
    const auto pid = pg::watchable_backend(*cx_);
    if (!pid) {
      spdlog::debug("the server's pid differs from the connection's (a pooler?): lock waits are not monitored");
      return;
    }
    in.progress().set_lock_monitor(pg::lock_monitor_factory(target, *pid));
  }

  static std::unique_ptr<pqxx::connection> open(const conninfo::ConnectionTarget& target) {
    spdlog::debug("connecting to {} (from {})", target.description, target.source);
    auto cx = pg::connect(target);
    spdlog::debug("connected: server {}, backend pid {}", cx->server_version(), cx->backendpid());
    return cx;
  }

  SignalWatcher signals_;
  std::unique_ptr<pqxx::connection> cx_;
  pg::Store store_;
  pg::PostgresSession session_;
  Migrator migrator_;
};

Invocation::Invocation(const Options& options_, Settings settings_, Style style_, Context& context_,
                       std::ostream& out_, std::ostream& err_)
    : options(options_),
      settings(std::move(settings_)),
      style(style_),
      context(context_),
      out(out_),
      err(err_),
      terminal(out_, err_, {options_.verbose || options_.dry_run, options_.quiet, options_.dry_run}, style_),
      recorder(options_.json ? static_cast<Reporter&>(silent) : static_cast<Reporter&>(terminal)) {
  settings.migrator = engine_settings(options, settings, err);
  auto progress = progress_settings(options, context, style);
  // A short limit could end a lock wait before the usual first look: look sooner then.
  progress.wait_threshold = first_look_after(progress.wait_threshold, limit_duration(settings.migrator.limits.lock_timeout),
                                             limit_duration(settings.migrator.limits.statement_timeout));
  progress_ = std::make_unique<ProgressReporter>(recorder, err, std::move(progress));
}

Invocation::~Invocation() {
  // The line is erased, and the monitoring connection closed, before the engine and its
  // connection end and before the caller prints an error.
  progress_->stop();
}

Reporter& Invocation::reporter() { return *progress_; }

ProgressReporter& Invocation::progress() { return *progress_; }

void Invocation::finish_progress() { progress_->stop(); }

void Invocation::resolve_target(const Registry& registry, bool writes) {
  registry_ = &registry;
  // A command that runs migration code or writes refuses a stale binary; `status --check` too
  // (a CI step that must fail on it); the others read, and warn.
  const auto& command = command_of(options);
  const bool refuse = (command.traits & (writes | runs_code)) != 0 || options.check;
  check_build(registry, folder_to_check({settings.migrations_dir_named ? settings.migrations_dir : "", built_migrations_dir()}),
              built_migrations_dir(), refuse, err);
  check_guards(options, settings.migrator.production);
  // A fleet lists its own targets, each connected to on a worker of its own.
  if (options.fleet) return;
  target_ = conninfo::resolve_connection(settings.connection, environment);
  context.database = target_->description;
  if (writes && !options.quiet && !options.json) {
    // First line of every command that writes: where it is about to write.
    err << "Environment: " << settings.environment << ", database: " << target_->description << '\n'
        << std::flush;
  }
}

const conninfo::ConnectionTarget& Invocation::target() const { return *target_; }

Migrator& Invocation::migrator() {
  if (!connection_) connection_ = std::make_unique<Connection>(*this, *registry_, *target_);
  return connection_->migrator();
}

}  // namespace sonamu::cli
