#include "output/terminal_reporter.hpp"

#include "output/progress_text.hpp"
#include "output/retry_text.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace sonamu::cli {

void TerminalReporter::separate() {
  if (after_batch_) out_ << '\n';
  after_batch_ = false;
}

void TerminalReporter::migration_started(Direction direction, const std::string& name) {
  if (!verbose()) return;
  separate();
  out_ << started_line(direction, name) << '\n' << std::flush;
}

void TerminalReporter::statement(const std::string& sql, const std::vector<Param>& params) {
  wait_.reset();
  wait_logged_.reset();
  if (verbose()) out_ << statement_line(sql, params) << '\n' << std::flush;
}

void TerminalReporter::measuring_statement(bool) {
  // Not listed, even with --verbose: no migration runs, the downs are only measured.
  wait_.reset();
  wait_logged_.reset();
}

void TerminalReporter::statement_finished(std::chrono::milliseconds elapsed) {
  wait_.reset();
  // Not a --verbose line: the guide's verbose log has the migration's duration only.
  spdlog::debug("statement completed in {}ms", elapsed.count());
}

void TerminalReporter::lock_waiting(const LockWait& wait, std::chrono::milliseconds waited) {
  wait_ = wait;
  // Logged when first seen, then every 5 s while it lasts.
  if (!verbose() || (wait_logged_ && waited - *wait_logged_ < std::chrono::seconds(5))) return;
  wait_logged_ = waited;
  out_ << waiting_line(wait, waited) << '\n' << std::flush;
}

void TerminalReporter::lock_retry(Direction, const std::string& name, const LockRetry& retry) {
  // On stderr even without --verbose: a CI log shows why the step took longer, and who held
  // the lock. Only --quiet hides it (the final failure, if any, is printed anyway).
  if (!verbosity_.quiet) {
    out_ << std::flush;
    for (const auto& line : retry_lines(name, retry, wait_, style_)) err_ << line << '\n';
    err_ << std::flush;
  }
  wait_.reset();
  wait_logged_.reset();
}

void TerminalReporter::migration_finished(Direction, const std::string&,
                                          std::chrono::milliseconds elapsed) {
  if (verbose()) out_ << ok_mark(style_) << " Completed in " << elapsed.count() << "ms\n" << std::flush;
}

void TerminalReporter::migration_failed(Direction direction, const std::string& name,
                                        const std::string& message, const std::string& sqlstate) {
  MigrationFailure failure;
  failure.migration = name;
  failure.direction = direction;
  failure.sqlstate = sqlstate;
  failure.message = message;
  if (wait_ && ends_lock_wait(sqlstate)) failure.blocked_by = wait_;
  failure.in_transaction =
      std::find(outside_transaction_.begin(), outside_transaction_.end(), name) == outside_transaction_.end();
  wait_.reset();
  out_ << std::flush;
  err_ << failure_text(failure, style_) << std::flush;
}

void TerminalReporter::batch_committed(Direction direction, int batch,
                                       const std::vector<std::string>& names) {
  if (verbosity_.quiet) return;
  separate();
  BatchOutcome outcome;
  outcome.batch = batch;
  outcome.direction = direction;
  outcome.committed = true;
  const auto status = direction == Direction::up ? MigrationStatus::applied : MigrationStatus::rolled_back;
  for (const auto& name : names) outcome.migrations.push_back({name, status, std::nullopt});
  out_ << committed_batch_text(outcome, {verbose(), false, verbosity_.dry_run}, style_) << std::flush;
  after_batch_ = true;
}

void TerminalReporter::batch_in_parts(
    Direction direction, int batch, const std::vector<std::pair<bool, std::vector<std::string>>>& parts) {
  outside_transaction_.clear();
  for (const auto& part : parts) {
    if (!part.first) outside_transaction_.insert(outside_transaction_.end(), part.second.begin(), part.second.end());
  }
  if (verbosity_.quiet) return;
  separate();
  out_ << parts_line(direction, batch, parts) << '\n' << std::flush;
}

void TerminalReporter::batch_partly_done(Direction direction, int batch,
                                         const std::vector<std::string>& done,
                                         const std::vector<std::string>& not_done) {
  out_ << std::flush;
  err_ << partly_done_line(direction, batch, done, not_done) << '\n' << std::flush;
}

void TerminalReporter::migration_skipped(Direction, const std::string& name,
                                         const std::string& reason) {
  if (verbosity_.quiet) return;
  out_ << "Skipped " << name << ": " << reason << '\n' << std::flush;
}

void TerminalReporter::data_at_risk(const std::vector<DataAtRisk>& risks) {
  out_ << std::flush;
  for (const auto& risk : risks) {
    RiskOutcome outcome{risk, std::nullopt};
    if (risk.kind == LossKind::unknown && wait_ && ends_lock_wait(risk.sqlstate)) outcome.blocked_by = wait_;
    err_ << risk_text(outcome, style_);
  }
  wait_.reset();
  err_ << std::flush;
}

void TerminalReporter::verify_holds_locks(const std::optional<std::string>& lock_timeout,
                                          const std::optional<std::string>& statement_timeout) {
  // Before anything is locked, so that whoever runs it can still stop it; --quiet hides it
  // as it hides every line that is not an error.
  if (verbosity_.quiet) return;
  out_ << std::flush;
  err_ << "Verify runs up, down and up in one transaction and keeps every lock they take until it ends "
          "(ACCESS EXCLUSIVE for most schema changes): queries of those tables wait meanwhile. Each statement "
       << (lock_timeout ? "waits at most " + *lock_timeout + " for a lock (lock_timeout)"
                        : std::string("waits for a lock without a limit"))
       << " and "
       << (statement_timeout ? "runs at most " + *statement_timeout + " (statement_timeout)"
                             : std::string("runs without a time limit (--statement-timeout sets one)"))
       << ".\n"
       << std::flush;
}

void TerminalReporter::verified(const std::string& name, const std::vector<std::string>& left_behind,
                                const std::vector<std::string>& missing) {
  if (left_behind.empty() && missing.empty()) {
    if (!verbosity_.quiet) {
      out_ << ok_mark(style_) << ' ' << name << ": down restores the schema (up, down, up)\n" << std::flush;
    }
    return;
  }
  out_ << std::flush;
  err_ << error_mark(style_) << ' ' << name << ": down does not restore the schema\n";
  for (const auto& line : left_behind) err_ << "   left behind by down: " << line << '\n';
  for (const auto& line : missing) err_ << "   missing after down: " << line << '\n';
  err_ << std::flush;
}

void TerminalReporter::data_checked(const std::string& name, const DataCheck& check,
                                    const std::optional<std::string>& declared_lossy) {
  if (!check.drifts.empty() && !declared_lossy) {
    out_ << std::flush;
    err_ << error_mark(style_) << ' ' << name << ": down does not restore the data\n";
    for (const auto& drift : check.drifts) err_ << "   " << drift_line(drift) << '\n';
    for (const auto& note : check.notes) err_ << "   " << note << '\n';
    err_ << "   If the loss is intended, declare it in the down: sonamu::lossy(knex, \"why\"), or in a SQL file "
            "'-- sonamu:lossy why'\n"
         << std::flush;
    return;
  }
  if (verbosity_.quiet) return;
  for (const auto& drift : check.drifts) {
    out_ << "   declared lossy (" << *declared_lossy << "): " << drift_line(drift) << '\n';
  }
  for (const auto& note : check.notes) out_ << "   " << note << '\n';
  out_ << std::flush;
}

void TerminalReporter::nothing_to_do(Direction direction) {
  if (verbosity_.quiet) return;
  separate();
  out_ << nothing_to_do_line(direction) << '\n' << std::flush;
}

void TerminalReporter::nothing_after(const std::string& name) {
  if (verbosity_.quiet) return;
  separate();
  out_ << "Nothing to roll back: " << name << " is the newest applied migration\n" << std::flush;
}

void TerminalReporter::late_migrations(const std::vector<std::string>& names, const std::string& newest_applied) {
  if (verbosity_.quiet) return;
  out_ << std::flush;
  for (const auto& line : late_lines(names, newest_applied, style_)) err_ << line << '\n';
  err_ << std::flush;
}

void TerminalReporter::all_rolled_back() {
  if (verbosity_.quiet) return;
  separate();
  out_ << "All migrations rolled back successfully\n" << std::flush;
}

void TerminalReporter::rollback_all_stopped(const std::vector<int>& done_batches,
                                            int failed_batch) {
  out_ << std::flush;
  err_ << rollback_all_stopped_line(done_batches, failed_batch) << '\n' << std::flush;
}

}  // namespace sonamu::cli
