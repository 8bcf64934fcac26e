#include "cli/commands.hpp"

#include "cli/command_runs.hpp"
#include "cli/command_table.hpp"
#include "cli/lint_command.hpp"
#include "cli/printing.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "host/backup.hpp"
#include "host/prompt.hpp"
#include "host/project_init.hpp"
#include "host/scaffold.hpp"
#include "lint/sql_actions.hpp"

#include <chrono>

namespace sonamu::cli {

namespace {

/// "Backup: FILE (N bytes)", after the unfinished dumps of killed earlier runs it removed.
void print_backup(Invocation& in, const std::string& file, const BackupResult& backup) {
  for (const auto& path : backup.removed) {
    in.err << "Removed " << path << ", the unfinished dump of an earlier run that was killed\n";
  }
  // Written to stdout, the dump is not counted: a size of 0 would be false.
  if (file == "-") {
    in.err << "Backup: written to stdout\n" << std::flush;
  } else {
    in.err << "Backup: " << file << " (" << backup.bytes << " bytes)\n" << std::flush;
  }
}

/// Before a command that runs migrations: the dry run's announcement, and the backup that a
/// rollback was asked to take, once every check that can refuse the rollback has passed (so a
/// refused rollback leaves no dump behind).
Migrator& before_migrating(Invocation& in) {
  const Options& options = in.options;
  const bool rolls_back = (command_of(options).traits & reverts) != 0;
  if (rolls_back && in.settings.backup && !options.dry_run) {
    // A target the dump may not be written to is refused before connecting.
    check_backup_target(*in.settings.backup, options.replace_backup, options.json);
    in.settings.migrator.before_revert = [&in] {
      // "0" is PostgreSQL's "no limit" for pg_dump too.
      const auto backup = backup_database(in.target(), *in.settings.backup, in.options.replace_backup,
                                          in.settings.migrator.limits.lock_timeout);
      if (!in.options.quiet) print_backup(in, *in.settings.backup, backup);
    };
  }
  Migrator& migrator = in.migrator();  // connects; the engine keeps a copy of the settings
  if (options.dry_run && !options.quiet && !options.json) {
    in.out << "Dry run: every statement runs in one transaction that is rolled back; lock_timeout "
           << in.settings.migrator.limits.lock_timeout.value_or("none") << "\n" << std::flush;
  }
  return migrator;
}

/// The lint report as `lint` prints it: a dry run's on stdout with the dry run's own lines
/// (it is what was asked for); the one before a run on stderr, with the command's other
/// warnings (the order check's), so that stdout stays the run's own lines. Only a complete
/// report is printed: when its rehearsal stopped on a failure, the command reports that
/// failure itself (or, for a lock or a statement the report could not finish within its
/// 2 s, one line says so and the run goes on as configured), and a partial report would only
/// repeat it.
void print_lint_report(Invocation& in, const LintRehearsal& report, const lint::LintSettings& settings,
                       bool in_dry_run) {
  if (report.migrations.empty()) return;
  const auto& last = report.migrations.back();
  if (last.failure) {
    // A rehearsal ended by its own 2 s limits says so, so that a missing report is not taken
    // for a clean one; any other failure is the run's to report.
    if (!in_dry_run && last.failure->find("canceling statement due to") != std::string::npos) {
      in.out << std::flush;
      in.err << "Lint report skipped: rehearsing " << last.name
             << " needed more than 2 s for a lock or a statement; the run goes on\n"
             << std::flush;
    }
    return;
  }
  int warnings = 0;
  const std::string text = lint_text(report, settings, in.style, warnings);
  std::ostream& stream = in_dry_run ? in.out : in.err;
  in.out << std::flush;
  stream << lint_header(report, settings, in_dry_run) << text << lint_footer(warnings) << std::flush;
}

/// The rehearsal of the report before a `--verbose` run; a rehearsal that cannot be measured
/// (the server's answer about a table another session dropped meanwhile, say) prints one line
/// instead of the report: the report is for the reader and never stops the run. The migration
/// lock not had, a bookkeeping problem or a signal stop the command as they would stop the run.
std::optional<LintRehearsal> rehearse_report(Invocation& in, Migrator& migrator, const LintRequest& request) {
  try {
    return migrator.rehearse_for_lint(request);
  } catch (const Error&) {
    throw;
  } catch (const Interrupted&) {
    throw;
  } catch (const std::exception& e) {
    const std::string reason = e.what();
    in.out << std::flush;
    in.err << "Lint report skipped: its rehearsal could not be measured (" << reason.substr(0, reason.find('\n'))
           << "); the run goes on\n"
           << std::flush;
    return std::nullopt;
  }
}

}  // namespace

ExitCode run_command(Invocation& in) {
  const Options& options = in.options;
  // The lint report: measured in the dry run's own transaction, or (--verbose) rehearsed and
  // printed before anything runs. A report only: its warnings never stop the command.
  const bool reports = options.json || !options.quiet;
  in.settings.migrator.measure_dry_run = options.dry_run && reports;
  in.settings.migrator.measure_filter = lint::may_touch;
  Migrator& migrator = before_migrating(in);
  const auto settings = lint_settings(in);
  std::optional<LintRehearsal> rehearsed;
  if (options.verbose && !options.dry_run && reports) {
    LintRequest request = lint_request(options);
    request.guarded = true;
    // The report must not hold the run back behind the application's locks, nor double what a
    // slow statement costs the server: a lock it cannot have, or a statement it cannot finish,
    // within 2 s ends its rehearsal (a line says the report was skipped), and the run goes on.
    request.lock_timeout = "2s";
    request.statement_timeout = "2s";
    rehearsed = rehearse_report(in, migrator, request);
    if (rehearsed && !options.json) print_lint_report(in, *rehearsed, settings, false);
  }
  const CommandResult result = command_of(options).run(migrator, in.recorder, options);
  const ExitCode code = result.code;
  in.finish_progress();
  const std::optional<LintRehearsal>& report = options.dry_run ? migrator.dry_run_measured() : rehearsed;
  if (options.dry_run && report && !options.json && !options.quiet && code == ExitCode::ok) {
    print_lint_report(in, *report, settings, true);
  }
  if (report && options.json) {
    int warnings = 0;
    lint_text(*report, settings, in.style, warnings);
    const nlohmann::json lint = lint_json(*report, settings, {}, warnings);
    print_migration_result(in, *result.migration, &lint);
  } else {
    print_migration_result(in, *result.migration);
  }
  return code;
}

ExitCode status_command(Invocation& in) {
  const CommandResult result = run_status(in.migrator(), in.recorder, in.options);
  print_status(in, *result.status, result.code);
  return result.code;
}

ExitCode make_command(Invocation& in) {
  print_created(in, create_migration_file(in.settings.migrations_dir, in.options.name,
                                          std::chrono::system_clock::now(),
                                          in.options.sql ? MigrationLanguage::sql : MigrationLanguage::cpp));
  return ExitCode::ok;
}

ExitCode init_command(Invocation& in) {
  const auto& options = in.options;
  print_initialized(in, init_project(options.folder, options.executable.value_or(default_executable_name(options.folder))));
  return ExitCode::ok;
}

ExitCode verify_command(Invocation& in) {
  const CommandResult result = run_verify(in.migrator(), in.recorder, in.options);
  in.finish_progress();
  print_verified(in, *result.migration);
  return result.code;
}

ExitCode history_command(Invocation& in) {
  print_history(in, *run_history(in.migrator(), in.recorder, in.options).history);
  return ExitCode::ok;
}

ExitCode unlock_command(Invocation& in) {
  print_unlocked(in, in.migrator().unlock());
  return ExitCode::ok;
}

ExitCode forget_command(Invocation& in) {
  require_confirmation(in.options.yes, in.options.command, "Delete the record of " + in.options.name + " without running its down?",
                       in.err);
  print_forgotten(in, in.migrator().forget(in.options.name));
  return ExitCode::ok;
}

ExitCode accept_command(Invocation& in) {
  print_accepted(in, in.migrator().accept(in.options.name));
  return ExitCode::ok;
}

ExitCode mark_command(Invocation& in) {
  require_confirmation(in.options.yes, in.options.command, "Record " + in.options.name + " as applied without running its up?", in.err);
  print_marked(in, in.migrator().mark(in.options.name));
  return ExitCode::ok;
}

}  // namespace sonamu::cli
