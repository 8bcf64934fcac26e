#pragma once
/// The user-visible catalog as a set of lines (tables, columns with types, defaults and
/// nullability, constraints, indexes, enum types), to compare before and after a migration.

#include "core/bookkeeping.hpp"

#include <pqxx/transaction_base>

#include <set>
#include <string>

namespace sonamu::pg {

/// Every object outside the system schemas, except the bookkeeping tables at `location`.
std::set<std::string> catalog_snapshot(pqxx::transaction_base& tx, const TableLocation& location);

}  // namespace sonamu::pg
