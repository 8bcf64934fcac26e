#pragma once
/// The live schema read from pg_catalog and rendered by the server's own functions
/// (format_type, pg_get_expr, pg_get_indexdef, pg_get_constraintdef, pg_get_viewdef,
/// pg_get_functiondef, pg_get_triggerdef), as a SchemaSnapshot. Members of extensions and the
/// bookkeeping tables (with their indexes, constraints and sequences) are left out.

#include "conninfo/connection_target.hpp"
#include "core/bookkeeping.hpp"
#include "core/database.hpp"
#include "core/schema_snapshot.hpp"

#include <pqxx/transaction_base>

namespace sonamu::pg {

/// The schema as `tx` sees it, in one statement. The search path is pg_catalog alone while it
/// reads (and restored after), so every name outside pg_catalog is written with its schema
/// whatever the role's own search path.
SchemaSnapshot read_schema_snapshot(pqxx::transaction_base& tx, const TableLocation& bookkeeping);

/// Connects to `target` and reads the schema in one read-only REPEATABLE READ transaction,
/// under `limits` (the server functions that render indexes and defaults open their tables,
/// so the read waits behind a migration's ACCESS EXCLUSIVE lock no longer than lock_timeout).
/// Throws sonamu::Error (connection) when the server cannot be reached.
SchemaSnapshot read_live_schema(const conninfo::ConnectionTarget& target, const TableLocation& bookkeeping,
                                const StatementLimits& limits);

}  // namespace sonamu::pg
