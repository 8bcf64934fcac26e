#pragma once
/// The bookkeeping tables' names as PostgreSQL will store them.

#include "core/bookkeeping.hpp"

namespace sonamu::cli {

/// Throws sonamu::Error (usage) for an empty schema or table name, or one whose derived names
/// (`NAME_lock`, `NAME_history`) exceed PostgreSQL's 63 bytes: the server would cut them
/// short, and the cut `_history` name would then be taken for another table.
void check_table_names(const TableLocation& location);

}  // namespace sonamu::cli
