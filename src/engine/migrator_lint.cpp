// `migrate lint`: the pending migrations rehearsed with a meter between their statements.
#include "engine/migrator.hpp"
#include "engine/silent_reporter.hpp"

#include "core/error.hpp"
#include "core/interrupt.hpp"

namespace sonamu {

namespace {

/// Measures around every statement sent, and keeps them in order; prints nothing.
class MeasuringReporter final : public SilentReporter {
 public:
  MeasuringReporter(StatementMeter& meter, MeasuredMigration& migration) : meter_(meter), migration_(migration) {}

  void statement(const std::string& sql, const std::vector<Param>&) override {
    meter_.before_statement();
    migration_.statements.push_back({sql, {}});
  }
  void statement_finished(std::chrono::milliseconds) override {
    migration_.statements.back().effects = meter_.after_statement();
  }

 private:
  StatementMeter& meter_;
  MeasuredMigration& migration_;
};

}  // namespace

LintRehearsal Migrator::rehearse_for_lint() {
  // Under the migration lock, like a dry run: the statements take the real table locks (for
  // at most lock_timeout each) and everything is rolled back at the end.
  session_.prepare();
  const auto lock = session_.lock(settings_.lock_timeout);
  const auto tx = session_.begin(TransactionKind::read_write);
  tx->limit(settings_.limits);
  const auto applied = read_checked(*tx, false);
  const auto stems = pending(known_, applied);
  LintRehearsal result;
  result.late = late_pending(stems, applied);
  const auto meter = session_.meter(*tx);
  result.existing = meter->existing();
  for (const auto& stem : stems) {
    throw_if_interrupted();
    const Step step{registry_.find(stem), display_name(stem), 0};
    MeasuredMigration measured;
    measured.name = step.name;
    if (!transactional(step)) {
      measured.skipped = "it runs without a transaction, so it cannot be rehearsed in one";
      result.migrations.push_back(std::move(measured));
      continue;
    }
    const Rehearsal& rehearsed = rehearsal(step.migration->up);
    if (rehearsed.definition_problem) {
      measured.failure = "Invalid migration definition: " + *rehearsed.definition_problem;
      result.migrations.push_back(std::move(measured));
      break;
    }
    MeasuringReporter measuring(*meter, measured);
    try {
      tx->run(step.migration->up, measuring);
    } catch (const Interrupted&) {
      throw;
    } catch (const Error&) {
      throw;
    } catch (const std::exception& e) {
      if (const int signal_number = interrupt_signal()) throw Interrupted(signal_number);
      // The transaction is aborted: what follows cannot be rehearsed on top of it.
      measured.failure = e.what();
      if (!measured.statements.empty()) measured.statements.pop_back();
      result.migrations.push_back(std::move(measured));
      break;
    }
    result.migrations.push_back(std::move(measured));
  }
  return result;  // `tx` rolls back here
}

}  // namespace sonamu
