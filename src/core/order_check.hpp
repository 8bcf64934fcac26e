#pragma once
/// Pending migrations that sort before the newest applied one: written on a branch that was
/// merged after later migrations had been applied. They run after those, not in name order,
/// which their author may not have expected.

#include "core/plan.hpp"

#include <string>
#include <vector>

namespace sonamu {

/// What to do about pending migrations that sort before the newest applied one.
enum class OutOfOrderPolicy {
  warn,    ///< say so (status, run, up), and apply them
  refuse,  ///< say so in status; run and up stop before changing anything (exit 4)
};

/// The late pending migrations, and the newest applied one they sort before.
struct LateMigrations {
  std::vector<std::string> stems;  ///< in name order
  std::string newest_applied;      ///< its name as recorded; empty when nothing is late
};

/// Those of `pending_stems` that sort before the newest stem of `applied`.
LateMigrations late_pending(const std::vector<std::string>& pending_stems,
                            const std::vector<AppliedMigration>& applied);

/// The one-line refusal for `late` (names shown with `extension`).
std::string late_refusal(const std::vector<std::string>& names, const std::string& newest_applied);

}  // namespace sonamu
