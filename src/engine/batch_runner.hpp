#pragma once
/// Runs one batch: rehearsed first, then in one transaction, or in parts when it holds
/// migrations that cannot run in one (each transactional run atomic, each migration without
/// a transaction alone and recorded right after it succeeds); a part that meets another
/// session's lock is tried again; a failure is reported, put in the history, and says which
/// migrations of the batch were committed.

#include "core/bookkeeping.hpp"
#include "core/exit_code.hpp"
#include "engine/applied_records.hpp"
#include "engine/batch_transactions.hpp"
#include "engine/engine_context.hpp"
#include "engine/retry_pacer.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sonamu {

class BatchRunner {
 public:
  BatchRunner(EngineContext& context, BatchTransactions& transactions, AppliedRecords& records, RetryPacer& pacer)
      : context_(context), transactions_(transactions), records_(records), pacer_(pacer) {}

  /// Runs `steps` as batch `batch` of `action` (run, up, rollback, down). `tx`: the
  /// transaction the batch was planned in, when it is still open.
  ExitCode run(const std::string& action, Direction direction, int batch, const std::vector<MigrationStep>& steps,
               std::unique_ptr<Transaction> tx);
  /// Reports and returns the refusal when a migration of `steps` cannot run (a builder
  /// misuse; a down irreversible without --force), found before any SQL is sent.
  std::optional<ExitCode> refuse_before_running(Direction direction, const std::vector<MigrationStep>& steps);
  /// Runs one migration's function; returns true when --force skipped an irreversible down.
  bool run_step(Direction direction, const MigrationStep& step, Transaction& tx, Reporter& reporter);
  bool run_step(Direction direction, const MigrationStep& step, Transaction& tx) {
    return run_step(direction, step, tx, context_.reporter);
  }

 private:
  /// The batch in progress: the migration running, and what the current part has done.
  struct Progress {
    std::string action;
    Direction direction = Direction::up;
    int batch = 0;
    const MigrationStep* current = nullptr;  ///< the migration running; unset between them
    std::chrono::system_clock::time_point current_started;
    std::vector<std::chrono::system_clock::time_point> times;  ///< when each migration of the part ended
    std::vector<HistoryEntry> history;                          ///< the part's lines of history
    std::vector<std::string> all;        ///< every migration of the batch
    std::vector<std::string> committed;  ///< those committed so far
  };
  using Part = std::vector<MigrationStep>;

  std::vector<Part> split_into_parts(Direction direction, int batch, const std::vector<MigrationStep>& steps);
  /// Runs `part`; false when a dry run skipped it.
  bool run_part(Progress& progress, const Part& part, std::unique_ptr<Transaction>& tx);
  void run_in_transaction(Progress& progress, const Part& part, std::unique_ptr<Transaction>& tx);
  void attempt_in_transaction(Progress& progress, const Part& part, std::unique_ptr<Transaction>& tx,
                              bool check_records);
  void skip_in_dry_run(Progress& progress, const Part& part);
  void run_alone(Progress& progress, const MigrationStep& step, std::unique_ptr<Transaction>& tx);
  void run_tracked(Progress& progress, const MigrationStep& step, Transaction& work, Reporter& reporter);
  /// Stops the command after `e` ended the part: returns its exit code, or rethrows.
  ExitCode fail(Progress& progress, const std::exception& e, std::unique_ptr<Transaction>& tx);
  /// Tells the reporter what of the batch was committed before it stopped, if anything was.
  void report_partial(const Progress& progress);
  void finish_part(const Progress& progress, Transaction& tx, const Part& done);
  void record_failure(const HistoryEntry& entry, bool may_create_tables);
  /// Behind a connection pooler, throws sonamu::Error (usage) if a step would run outside a
  /// transaction (engine/transaction_pooling.cpp).
  void refuse_outside_transactions_if_pooled(const std::vector<MigrationStep>& steps);

  EngineContext& context_;
  BatchTransactions& transactions_;
  AppliedRecords& records_;
  RetryPacer& pacer_;
};

}  // namespace sonamu
