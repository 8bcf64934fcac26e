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

}  // namespace sonamu
