#include "core/order_check.hpp"

#include "core/text.hpp"

#include <algorithm>

namespace sonamu {

LateMigrations late_pending(const std::vector<std::string>& pending_stems,
                            const std::vector<AppliedMigration>& applied) {
  LateMigrations late;
  const auto newest = std::max_element(applied.begin(), applied.end(), [](const auto& a, const auto& b) {
    return a.stem < b.stem;
  });
  if (newest == applied.end()) return late;
  for (const auto& stem : pending_stems) {
    if (stem < newest->stem) late.stems.push_back(stem);
  }
  std::sort(late.stems.begin(), late.stems.end());
  if (!late.stems.empty()) late.newest_applied = newest->name;
  return late;
}

std::string late_refusal(const std::vector<std::string>& names, const std::string& newest_applied) {
  return "Refusing to apply " + join(names) + ": pending, but sorting before " + newest_applied +
         ", the newest applied migration (a branch merged late?); rename it after that one, or set "
         "outOfOrder to \"warn\" to apply it anyway";
}

}  // namespace sonamu
