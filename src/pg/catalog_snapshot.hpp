#pragma once
/// The user-visible catalog as a set of lines (tables, columns with types, defaults and
/// nullability, constraints, indexes, enum types), to compare before and after a migration.

#include "core/data_loss.hpp"
#include "pg/store.hpp"

#include <pqxx/transaction_base>

#include <set>
#include <string>

namespace sonamu::pg {

/// Every object outside the system schemas, except the bookkeeping tables of `store`.
std::set<std::string> catalog_snapshot(pqxx::transaction_base& tx, const Store& store);

/// Row counts of the tables and non-null counts of the columns in `drops` that exist now.
std::vector<DataAtRisk> count_at_risk(pqxx::transaction_base& tx, const std::vector<Drop>& drops);

}  // namespace sonamu::pg
