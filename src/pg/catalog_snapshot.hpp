#pragma once
/// The user-visible catalog as lines (tables, columns with types, defaults and nullability,
/// constraints, indexes, enum types), to compare before and after a migration, and which of
/// the objects they describe the reading transaction itself may have changed.

#include "core/bookkeeping.hpp"
#include "core/catalog.hpp"

#include <pqxx/transaction_base>

#include <optional>
#include <set>
#include <string>

namespace sonamu::pg {

/// Every object outside the system and temporary schemas, except the bookkeeping tables at
/// `location`, each line with its object: "relation OID" (a table's columns, constraints and
/// comments are its own; an index is a relation of its own) or "type OID".
/// `only_schema`: that schema alone (a tenant schema, whose neighbours' tables may be held).
Catalog catalog_snapshot(pqxx::transaction_base& tx, const TableLocation& location,
                         const std::optional<std::string>& only_schema = std::nullopt);

/// Of `objects`, those `tx` may have changed: a relation it holds in a mode that changing a
/// definition takes (which no other session's change of it can hold at the same time), a type
/// it holds a lock on (ALTER TYPE, DROP TYPE), or an object whose catalog row `tx` wrote (one
/// it created: CREATE TYPE takes no lock). The others cannot differ by its doing.
std::set<std::string> changed_here(pqxx::transaction_base& tx, const std::set<std::string>& objects);

}  // namespace sonamu::pg
