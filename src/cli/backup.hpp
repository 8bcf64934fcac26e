#pragma once
/// `--backup FILE`: pg_dump of the target database before a rollback, without a separate script.

#include "conninfo/connection_target.hpp"

#include <string>

namespace sonamu::cli {

/// Dumps the database of `target` to `file` (plain SQL, as `pg_dump > file`), returning its
/// size in bytes. The password never appears on pg_dump's command line (it goes through the
/// environment). Throws sonamu::Error (migration_failed) when pg_dump fails.
long long backup_database(const conninfo::ConnectionTarget& target, const std::string& file);

}  // namespace sonamu::cli
