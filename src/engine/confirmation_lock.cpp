#include "core/error.hpp"
#include "engine/rollback_guard.hpp"

namespace sonamu {

namespace {

template <typename Record>
std::vector<RecordToRevert> records_of(const std::vector<Record>& steps) {
  std::vector<RecordToRevert> records;
  records.reserve(steps.size());
  for (const auto& step : steps) records.push_back({step.id, step.name, step.batch});
  return records;
}

/// The answer was given for exactly `confirmed`: another runner that rolled back, or applied,
/// anything since makes it an answer to another question.
void refuse_if_changed(const std::vector<RecordToRevert>& confirmed, const std::vector<RecordToRevert>& now) {
  bool same = confirmed.size() == now.size();
  for (std::size_t i = 0; same && i < now.size(); ++i) {
    same = confirmed[i].id == now[i].id && confirmed[i].name == now[i].name;
  }
  if (!same) {
    throw Error(ExitCode::locked,
                "The migrations to roll back changed while the confirmation was asked (another runner "
                "took the migration lock meanwhile): nothing was changed; run the command again");
  }
}

}  // namespace

void RollbackGuard::lock_for_command() {
  lock_ = context_.migration_lock(context_.settings.lock_timeout);
  lock_released_ = false;
}

void RollbackGuard::end_command() {
  lock_.reset();
  lock_released_ = false;
}

void RollbackGuard::check_unchanged(const std::vector<MigrationStep>& confirmed,
                                    const std::vector<MigrationStep>& now) {
  if (!lock_released_) return;
  refuse_if_changed(records_of(confirmed), records_of(now));
  lock_released_ = false;
}

void RollbackGuard::check_confirmed_before(const std::vector<MigrationStep>& steps) const {
  const auto& settings = context_.settings;
  if (settings.records_to_revert) settings.records_to_revert(records_of(steps));
  if (settings.confirmed_records) refuse_if_changed(*settings.confirmed_records, records_of(steps));
}

void RollbackGuard::refuse_if_session_ended() {
  // idle_session_timeout (or a restart) ends a session left idle while a person answers:
  // what libpq would say on the next statement names none of that.
  if (context_.session.still_connected()) return;
  throw Error(ExitCode::connection,
              "The server ended the session while the question was asked (idle_session_timeout, or a restart): "
              "nothing was changed; run the command again");
}

}  // namespace sonamu
