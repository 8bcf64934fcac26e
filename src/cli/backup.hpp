#pragma once
/// `--backup FILE`: pg_dump of the target database before a rollback, without a separate script.

#include "conninfo/connection_target.hpp"

#include <optional>
#include <string>

namespace sonamu::cli {

/// Throws sonamu::Error (usage) before anything is done: `file` exists (any kind, a symlink
/// included) and `replace` is not given, or it is a directory, or it is `-` (stdout) while
/// stdout carries the --json document.
void check_backup_target(const std::string& file, bool replace, bool json);

/// Dumps the database of `target` to `file` (plain SQL, as `pg_dump > file`), returning its
/// size in bytes. The dump goes to a new private (0600) file next to `file`, put in place
/// when pg_dump succeeds (replacing `file` only with `replace`) and deleted when it fails;
/// nothing the command did not create is ever deleted. The password never appears on
/// pg_dump's command line (it goes through the environment). Throws sonamu::Error
/// (migration_failed) when pg_dump fails, sonamu::Interrupted on a signal. pg_dump waits for
/// each table's lock at most `lock_wait_timeout` (the SQL lock timeout), when one is given.
long long backup_database(const conninfo::ConnectionTarget& target, const std::string& file, bool replace,
                          const std::optional<std::string>& lock_wait_timeout = std::nullopt);

}  // namespace sonamu::cli
