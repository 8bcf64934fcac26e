#pragma once
/// Records that no plan can be made from: two rows of one migration (a hand edit, or two
/// `mark`s that raced behind a pooler), or a row without a name.

#include "core/plan.hpp"

#include <string>

namespace sonamu {

/// What is wrong with the records, as one sentence naming them; empty when nothing is.
std::string record_problems(const std::vector<AppliedMigration>& applied);

}  // namespace sonamu
