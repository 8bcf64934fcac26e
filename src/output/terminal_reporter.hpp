#pragma once
/// Progress as the documented output shows it: summaries on stdout, failures on stderr.

#include "core/reporter.hpp"
#include "output/format.hpp"
#include "output/migration_text.hpp"

#include <optional>
#include <string>
#include <vector>
#include <ostream>

namespace sonamu::cli {

/// Writes the documented output (docs/commands.md).
class TerminalReporter final : public Reporter {
 public:
  TerminalReporter(std::ostream& out, std::ostream& err, Verbosity verbosity, Style style = {})
      : out_(out), err_(err), verbosity_(verbosity), style_(style) {}

  void migration_started(Direction direction, const std::string& name) override;
  void statement(const std::string& sql, const std::vector<Param>& params) override;
  void statement_finished(std::chrono::milliseconds elapsed) override;
  void measuring_statement(bool running) override;
  void lock_waiting(const LockWait& wait, std::chrono::milliseconds waited) override;
  void lock_retry(Direction direction, const std::string& name, const LockRetry& retry) override;
  void migration_finished(Direction direction, const std::string& name,
                          std::chrono::milliseconds elapsed) override;
  void migration_failed(Direction direction, const std::string& name, const std::string& message,
                        const std::string& sqlstate) override;
  void batch_committed(Direction direction, int batch,
                       const std::vector<std::string>& names) override;
  void batch_in_parts(Direction direction, int batch,
                      const std::vector<std::pair<bool, std::vector<std::string>>>& parts) override;
  void batch_partly_done(Direction direction, int batch, const std::vector<std::string>& done,
                         const std::vector<std::string>& not_done) override;
  void migration_skipped(Direction direction, const std::string& name,
                         const std::string& reason) override;
  void data_at_risk(const std::vector<DataAtRisk>& risks) override;
  void verify_holds_locks(const std::optional<std::string>& lock_timeout,
                          const std::optional<std::string>& statement_timeout) override;
  void verified(const std::string& name, const std::vector<std::string>& left_behind,
                const std::vector<std::string>& missing) override;
  void data_checked(const std::string& name, const DataCheck& check,
                    const std::optional<std::string>& declared_lossy) override;
  void nothing_to_do(Direction direction) override;
  void nothing_after(const std::string& name) override;
  void late_migrations(const std::vector<std::string>& names, const std::string& newest_applied) override;
  void all_rolled_back() override;
  void rollback_all_stopped(const std::vector<int>& done_batches, int failed_batch) override;

 private:
  /// Batches are separated by a blank line, printed lazily before whatever comes next.
  void separate();
  bool verbose() const { return verbosity_.verbose && !verbosity_.quiet; }

  std::ostream& out_;
  std::ostream& err_;
  Verbosity verbosity_;
  Style style_;
  bool after_batch_ = false;
  /// The migrations of the batch in progress that run without a transaction.
  std::vector<std::string> outside_transaction_;
  /// What the running statement waited for, named again if its wait ends in a failure.
  std::optional<LockWait> wait_;
  /// When the verbose log last named that wait (nullopt: not yet).
  std::optional<std::chrono::milliseconds> wait_logged_;
};

}  // namespace sonamu::cli
