#include "core/catalog.hpp"

namespace sonamu {

namespace {

/// The lines of `from` absent from `other`, in order, whose object passes `keep`.
template <typename Keep>
std::vector<std::string> only_in(const Catalog& from, const Catalog& other, Keep keep) {
  std::vector<std::string> lines;
  for (const auto& [line, object] : from) {
    if (other.count(line) == 0 && keep(object)) lines.push_back(line);
  }
  return lines;
}

}  // namespace

std::set<std::string> differing_objects(const Catalog& before, const Catalog& after) {
  std::set<std::string> objects;
  const auto any = [](const std::string&) { return true; };
  for (const auto& line : only_in(before, after, any)) objects.insert(before.at(line));
  for (const auto& line : only_in(after, before, any)) objects.insert(after.at(line));
  return objects;
}

CatalogDifference catalog_difference(const Catalog& before, const Catalog& after,
                                     const std::set<std::string>& changed_here) {
  const auto ours = [&](const std::string& object) { return changed_here.count(object) != 0; };
  return {only_in(after, before, ours), only_in(before, after, ours)};
}

}  // namespace sonamu
