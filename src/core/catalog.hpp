#pragma once
/// The user-visible catalog as `verify` compares it before up and after down: each line (what
/// is compared) with the object it describes (what decides whether the verifying transaction
/// can have changed it, when another session changes the catalog meanwhile).

#include <map>
#include <set>
#include <string>
#include <vector>

namespace sonamu {

/// Line ("column public.people.email text NULL") -> the object it describes, as the session
/// names it ("relation 16388"): a table's columns, constraints and comments share its object.
using Catalog = std::map<std::string, std::string>;

/// What a down did not restore.
struct CatalogDifference {
  std::vector<std::string> left_behind;  ///< lines after down that were not there before up
  std::vector<std::string> missing;      ///< lines before up that are gone after down
};

/// The objects of the lines present in only one of `before` and `after`.
std::set<std::string> differing_objects(const Catalog& before, const Catalog& after);

/// The lines present in only one of `before` and `after`, of the objects in `changed_here`
/// alone: the others were changed by other sessions, not by the migration.
CatalogDifference catalog_difference(const Catalog& before, const Catalog& after,
                                     const std::set<std::string>& changed_here);

}  // namespace sonamu
