#pragma once
/// What a rollback would destroy, read from and counted on the server: the shape of the user
/// tables (to compare before and after the downs), and the data each loss takes.

#include "core/bookkeeping.hpp"
#include "core/data_loss.hpp"

#include <pqxx/transaction_base>

#include <optional>
#include <string>
#include <vector>

namespace sonamu::pg {

/// Ordinary tables, partitioned roots and materialized views outside the system schemas,
/// with their columns, except the bookkeeping tables at `location`.
/// `only_schema`: look at that schema alone (a tenant schema of a fleet, whose neighbours in
/// the same database are migrated at the same time: sizing their tables would wait for, or
/// deadlock with, their locks).
SchemaShape schema_shape(pqxx::transaction_base& tx, const TableLocation& location,
                         const std::optional<std::string>& only_schema = std::nullopt);

/// Rows, non-null values or values changed by a type change, for each loss that holds data:
/// exact in tables of at most `exact_limit_bytes`, the planner's estimate above (no scan).
std::vector<DataAtRisk> count_losses(pqxx::transaction_base& tx, const std::vector<Loss>& losses,
                                     long long exact_limit_bytes);

}  // namespace sonamu::pg
