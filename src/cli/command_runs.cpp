#include "cli/command_runs.hpp"

namespace sonamu::cli {

namespace {

CommandResult migrated(CommandResult::Kind kind, ExitCode code, const ResultRecorder& recorder) {
  CommandResult result;
  result.kind = kind;
  result.code = code;
  result.migration = recorder.result(code);
  return result;
}

}  // namespace

CommandResult run_run(Migrator& migrator, ResultRecorder& recorder, const Options& options) {
  return migrated(CommandResult::Kind::migrate, migrator.run(options.to), recorder);
}

CommandResult run_up(Migrator& migrator, ResultRecorder& recorder, const Options&) {
  return migrated(CommandResult::Kind::migrate, migrator.up(), recorder);
}

CommandResult run_rollback(Migrator& migrator, ResultRecorder& recorder, const Options& options) {
  const ExitCode code = options.all    ? migrator.rollback_all()
                        : options.to   ? migrator.rollback_to(*options.to)
                        : options.step ? migrator.rollback_steps(*options.step)
                                       : migrator.rollback();
  return migrated(CommandResult::Kind::migrate, code, recorder);
}

CommandResult run_down(Migrator& migrator, ResultRecorder& recorder, const Options&) {
  return migrated(CommandResult::Kind::migrate, migrator.down(), recorder);
}

CommandResult run_verify(Migrator& migrator, ResultRecorder& recorder, const Options& options) {
  VerifyRequest request;
  request.all = options.all;
  if (!options.name.empty()) request.name = options.name;
  request.in_production = options.verify_in_production;
  CommandResult result = migrated(CommandResult::Kind::verify, migrator.verify(request), recorder);
  MigrationResult& value = *result.migration;
  // Every migration it reached was skipped (irreversible, or not transactional): nothing was
  // checked, which is no pass.
  if (value.code == ExitCode::ok && value.verified.empty() && !value.skipped.empty()) {
    value.code = result.code = ExitCode::migration_failed;
  }
  return result;
}

CommandResult run_status(Migrator& migrator, ResultRecorder&, const Options& options) {
  CommandResult result;
  result.kind = CommandResult::Kind::status;
  result.status = migrator.status();
  // Behind: pending or edited migrations, what `status --check` fails on, alone and in a fleet.
  result.code = options.check && result.status->behind() ? ExitCode::migration_failed : ExitCode::ok;
  return result;
}

CommandResult run_history(Migrator& migrator, ResultRecorder&, const Options& options) {
  CommandResult result;
  result.kind = CommandResult::Kind::history;
  result.history = migrator.history(options.limit);
  return result;
}

}  // namespace sonamu::cli
