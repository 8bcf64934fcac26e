#include "engine/applied_records.hpp"

#include "core/error.hpp"
#include "core/order_check.hpp"
#include "core/record_check.hpp"
#include "core/text.hpp"

#include <algorithm>

namespace sonamu {

std::vector<AppliedMigration> AppliedRecords::only_known(std::vector<AppliedMigration> applied) const {
  if (const auto problems = record_problems(applied); !problems.empty()) {
    throw Error(ExitCode::mismatch, problems);
  }
  const auto unknown = recorded_but_unknown(context_.known(), applied);
  if (!unknown.empty()) {
    throw Error(ExitCode::mismatch,
                "The migration directory is corrupt, the following files are missing: " + join(unknown));
  }
  return applied;
}

std::vector<AppliedMigration> AppliedRecords::read_checked(Transaction& tx, bool create) {
  const auto state = context_.store.inspect(tx);
  context_.store.validate(state);
  if (create) {
    context_.store.ensure_tables(tx, state);
  } else if (!state.migrations_table_exists) {
    return {};
  }
  return only_known(context_.store.read_applied(tx));
}

std::vector<AppliedMigration> AppliedRecords::read_for_batch(Transaction& tx) {
  // The tables are looked at, and created, under the limits too; knex's lock row then has a
  // wait of its own (--lock-timeout), after which the limits are set again.
  tx.limit(context_.settings.limits);
  const auto state = context_.store.inspect(tx);
  context_.store.validate(state);
  const bool created_here = context_.store.ensure_tables(tx, state);
  // knex's lock row first, the records after it: a knex batch in progress holds the row, so
  // the records are read once that batch has committed, and the plan sees its migrations.
  transactions_.hold_table_lock(tx);
  // The records are read under the limits the migrations run under: a session holding the
  // table must not keep the tool waiting past them.
  tx.limit(context_.settings.limits);
  // A table created just now, in this transaction, is empty and seen by no one else: reading
  // it is a round trip that can only return nothing. One that another session (knex) created
  // after the look above may hold its batch already: it is read.
  last_read_ = created_here ? std::vector<AppliedMigration>{} : only_known(context_.store.read_applied(tx));
  return last_read_;
}

void AppliedRecords::check_unchanged_since_planned(Transaction& tx) {
  // The batch was planned on the records read in its first attempt; another tool (knex) may
  // have applied or reverted migrations during the pause, and the plan would then be wrong.
  const auto planned_on = last_read_;
  const auto now = read_for_batch(tx);
  const auto same = [](const AppliedMigration& a, const AppliedMigration& b) {
    return a.id == b.id && a.name == b.name && a.batch == b.batch;
  };
  if (!std::equal(planned_on.begin(), planned_on.end(), now.begin(), now.end(), same)) {
    throw Error(ExitCode::migration_failed,
                "The migration records changed while the batch waited to be tried again (another "
                "tool applied or reverted migrations): nothing of this batch was applied; run the "
                "command again");
  }
}

void AppliedRecords::check_order(const std::vector<std::string>& stems,
                                 const std::vector<AppliedMigration>& applied) {
  const auto late = late_pending(stems, applied);
  if (late.stems.empty()) return;
  std::vector<std::string> names;
  for (const auto& stem : late.stems) names.push_back(context_.display_name(stem));
  if (context_.settings.out_of_order == OutOfOrderPolicy::refuse) {
    throw Error(ExitCode::mismatch, late_refusal(names, late.newest_applied));
  }
  context_.reporter.late_migrations(names, late.newest_applied);
}

}  // namespace sonamu
