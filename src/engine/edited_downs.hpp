#pragma once
/// A rollback of a migration edited since it was applied runs the edited down, which nobody
/// ran against this database: found from the source hashes recorded at apply time.

#include "core/bookkeeping_store.hpp"
#include "core/database.hpp"

#include <string>
#include <utility>
#include <vector>

namespace sonamu {

/// Names among `compiled` (record name, hash of the source compiled in) whose hash recorded
/// when they were applied differs. A name with no recorded hash (applied by knex or an
/// older version) is not compared.
std::vector<std::string> edited_since_applied(BookkeepingStore& store, Transaction& tx,
                                              const std::vector<std::pair<std::string, std::string>>& compiled);

/// The same for steps of the migrator (each with `name` and `migration`), those compiled
/// without a hash left out.
template <typename Steps>
std::vector<std::string> edited_steps(BookkeepingStore& store, Transaction& tx, const Steps& steps) {
  std::vector<std::pair<std::string, std::string>> compiled;
  for (const auto& step : steps) {
    if (step.migration != nullptr && !step.migration->source_hash.empty()) {
      compiled.emplace_back(step.name, step.migration->source_hash);
    }
  }
  return edited_since_applied(store, tx, compiled);
}

/// Says on stderr, for each of `edited`, that the down about to run is not the one recorded
/// at apply time; when `refuse` (production, not a rehearsal), throws sonamu::Error (usage)
/// naming them, before anything ran.
void check_edited_downs(const std::vector<std::string>& edited, bool refuse);

}  // namespace sonamu
