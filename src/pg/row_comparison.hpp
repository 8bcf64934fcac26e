#pragma once
/// `verify`'s data check on the server: the rows of the user tables copied into temporary
/// tables before a migration's up, and compared column by column after its down.

#include "core/bookkeeping.hpp"
#include "core/data_check.hpp"

#include <pqxx/transaction_base>

#include <functional>
#include <set>
#include <string>

namespace sonamu::pg {

/// How many rows of a table above the size limit are copied and compared: the first ones
/// read, so the cost stays bounded however large the table is.
constexpr long long sampled_rows = 10000;

/// Copies each table of `only` (oids as text) that holds rows (except the bookkeeping tables
/// at `location`): whole up to `exact_limit_bytes`, the first `sampled_rows` rows above it
/// when the table has a primary key to pair them by; other large tables are left out with a
/// note. No other table is read: those of other sessions are neither waited for nor locked.
RowSnapshot snapshot_rows(pqxx::transaction_base& tx, const TableLocation& location,
                          long long exact_limit_bytes, const std::set<std::string>& only);

/// Runs `work` in a savepoint of `tx`, then rolls it back; returns the tables (oids as text,
/// a partition's as its root's) that `tx` holds, once `work` ran, in a mode that writes rows
/// or changes a definition: those `work` may have written to (a superset when `tx` wrote to
/// some before), the only ones its data check needs to copy.
std::set<std::string> tables_written(pqxx::transaction_base& tx, const std::function<void()>& work);

/// Each column still present in each copied table, compared with the copy.
DataCheck compare_rows(pqxx::transaction_base& tx, const RowSnapshot& snapshot);

}  // namespace sonamu::pg
