#include "core/error.hpp"
#include "engine/migrator.hpp"

namespace sonamu {

void Migrator::check_unchanged(const std::vector<Step>& confirmed, const std::vector<Step>& now) const {
  if (!lock_released_) return;
  // The answer was given for exactly these records: another runner that rolled back, or
  // applied, anything while the question was open makes it an answer to another question.
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

void Migrator::refuse_if_session_ended() {
  // idle_session_timeout (or a restart) ends a session left idle while a person answers:
  // what libpq would say on the next statement names none of that.
  if (session_.still_connected()) return;
  throw Error(ExitCode::connection,
              "The server ended the session while the question was asked (idle_session_timeout, or a restart): "
              "nothing was changed; run the command again");
}

}  // namespace sonamu
