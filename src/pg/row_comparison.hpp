#pragma once
/// `verify`'s data check on the server: the rows of the user tables copied into temporary
/// tables before a migration's up, and compared column by column after its down.

#include "core/bookkeeping.hpp"
#include "core/data_check.hpp"

#include <pqxx/transaction_base>

namespace sonamu::pg {

/// How many rows of a table above the size limit are copied and compared: the first ones
/// read, so the cost stays bounded however large the table is.
constexpr long long sampled_rows = 10000;

/// Copies every user table that holds rows (except the bookkeeping tables at `location`):
/// whole up to `exact_limit_bytes`, the first `sampled_rows` rows above it when the table has
/// a primary key to pair them by; other large tables are left out with a note.
RowSnapshot snapshot_rows(pqxx::transaction_base& tx, const TableLocation& location,
                          long long exact_limit_bytes);

/// Each column still present in each copied table, compared with the copy.
DataCheck compare_rows(pqxx::transaction_base& tx, const RowSnapshot& snapshot);

}  // namespace sonamu::pg
