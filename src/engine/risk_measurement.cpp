// What a rollback deletes, measured before it runs: the downs rehearsed in a transaction that
// is rolled back. A measurement that cannot finish is never "nothing at risk": it is tried
// again as a batch is, and otherwise reported as unknown, so the guards that follow (the
// question, requireYes, requireBackup) still apply.
#include "engine/rollback_guard.hpp"
#include "engine/silent_reporter.hpp"

#include "core/error.hpp"
#include "core/interrupt.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace sonamu {

namespace {

/// Drops the measurement's events but one: that a statement runs, so the progress display
/// watches it and a lock it waits for is named, as for a batch's statement.
class MeasurementWatch final : public SilentReporter {
 public:
  explicit MeasurementWatch(Reporter& inner) : inner_(inner) {}
  void statement(const std::string&, const std::vector<Param>&) override { inner_.measuring_statement(true); }
  void statement_finished(std::chrono::milliseconds) override { inner_.measuring_statement(false); }

 private:
  Reporter& inner_;
};

/// The one entry that says the data at risk is not known, and why.
DataAtRisk unmeasured(const std::string& down, const std::exception& e, const std::string& sqlstate, int attempts) {
  DataAtRisk risk;
  risk.display = down;
  risk.kind = LossKind::unknown;
  risk.reason = e.what();
  risk.sqlstate = sqlstate;
  risk.attempts = attempts;
  return risk;
}

}  // namespace

std::vector<DataAtRisk> RollbackGuard::measure_once(const std::vector<MigrationStep>& steps, std::string& running) {
  // The downs run for real in a transaction that is rolled back, and the catalog before and
  // after says what they destroy, whatever form they take (builder, raw SQL, DO blocks, drops
  // behind hasTable). Counting happens after that transaction ended, in a read-only one, so
  // the tables are never held while the data is counted or the user is asked.
  std::vector<Loss> losses;
  {
    auto tx = context_.session.begin(TransactionKind::read_write);
    tx->limit(context_.settings.limits);
    const SchemaShape before = context_.session.schema_shape(*tx);
    // Nothing holds data: nothing can be lost, and the downs need not run twice.
    if (std::none_of(before.begin(), before.end(), [](const TableShape& table) { return table.holds_data; })) {
      return {};
    }
    MeasurementWatch watch(context_.reporter);
    for (const auto& step : steps) {
      // Outside a transaction a down cannot be undone, so it is not measured.
      if (!context_.transactional(step)) continue;
      running = step.name;
      try {
        tx->run(step.migration->down, watch);
      } catch (const IrreversibleMigration&) {
        // With --force its record goes and the schema stays: it destroys nothing.
      }
    }
    running.clear();
    losses = losses_between(before, context_.session.schema_shape(*tx));
  }
  if (losses.empty()) return {};
  auto tx = context_.session.begin(TransactionKind::read_only);
  // The count reads the tables the downs change: under the same limits as they run.
  tx->limit(context_.settings.limits);
  // Watched as the downs are: a table lock it waits for is shown and named.
  context_.reporter.measuring_statement(true);
  auto counted = context_.session.count_losses(*tx, losses, context_.settings.exact_count_bytes);
  context_.reporter.measuring_statement(false);
  return counted;
}

std::vector<DataAtRisk> RollbackGuard::measure_data_at_risk(const std::vector<MigrationStep>& steps) {
  for (int attempt = 1;; ++attempt) {
    std::string running;
    try {
      return measure_once(steps, running);
    } catch (const Interrupted&) {
      throw;
    } catch (const Error&) {
      throw;
    } catch (const std::exception& e) {
      throw_if_interrupted();
      // The catalog reads or the count failed, not a down: the command stops on it.
      if (running.empty()) throw;
      const auto* database_error = dynamic_cast<const DatabaseError*>(&e);
      const std::string sqlstate = database_error != nullptr ? database_error->sqlstate() : std::string();
      if (pacer_.may_retry(sqlstate, attempt)) {
        // No transaction is open during the pause, as between a batch's attempts.
        pacer_.wait(Direction::down, running, attempt, e, sqlstate, true);
        continue;
      }
      // The real run may well succeed where the measurement stopped (the lock released, a
      // timeout not reached): what it deletes is unknown, not nothing.
      spdlog::debug("measuring the data at risk stopped at {}: {}", running, e.what());
      return {unmeasured(running, e, sqlstate, attempt)};
    }
  }
}

void RollbackGuard::check_data_loss(const std::vector<MigrationStep>& steps) {
  check_confirmed_before(steps);
  const auto risks = measure_data_at_risk(steps);
  if (!risks.empty()) context_.reporter.data_at_risk(risks);
  if (context_.settings.dry_run) return;
  if (!risks.empty() && context_.settings.confirm_data_loss) confirm(risks);
  if (context_.settings.before_revert) context_.settings.before_revert();
}

void RollbackGuard::confirm(const std::vector<DataAtRisk>& risks) {
  // Nobody else may be kept waiting for a person's answer: not even other runners.
  const bool release = context_.settings.confirmation_waits && lock_ != nullptr;
  if (release) {
    lock_.reset();
    lock_released_ = true;
  }
  if (!context_.settings.confirm_data_loss(risks)) {
    throw Error(ExitCode::migration_failed, "Rollback cancelled: nothing was changed");
  }
  refuse_if_session_ended();
  if (release) lock_ = context_.migration_lock(context_.settings.lock_timeout);
}

}  // namespace sonamu
