#pragma once
/// `--backup FILE`: pg_dump of the target database before a rollback, without a separate script.

#include "conninfo/connection_target.hpp"

#include <optional>
#include <string>
#include <vector>

namespace sonamu::cli {

/// Throws sonamu::Error (usage) before anything is done: `file` exists (any kind, a symlink
/// included) and `replace` is not given, or it is a directory, or it is `-` (stdout) while
/// stdout carries the --json document.
void check_backup_target(const std::string& file, bool replace, bool json);

/// What a backup wrote, and the unfinished dumps of earlier runs it removed.
struct BackupResult {
  long long bytes = 0;  ///< the dump's size; 0 for `-` (stdout), which is not counted
  std::vector<std::string> removed;  ///< unfinished dumps of killed earlier runs, deleted
};

/// Dumps the database of `target` to `file` (plain SQL, as `pg_dump > file`). The dump goes
/// to a new private (0600) file next to `file`, `.FILE.partial-PID-XXXXXX`, put in place
/// when pg_dump succeeds (replacing `file` only with `replace`) and deleted when it fails.
/// Such a file of an earlier run to the same `file` whose process PID is gone (killed, by
/// kill -9 or a crash, before it could delete it) is deleted first; nothing else the command
/// did not create is ever deleted. The password never appears on
/// pg_dump's command line (it goes through the environment). Throws sonamu::Error
/// (migration_failed) when pg_dump fails, sonamu::Interrupted on a signal. pg_dump waits for
/// each table's lock at most `lock_wait_timeout` (the SQL lock timeout), when one is given.
BackupResult backup_database(const conninfo::ConnectionTarget& target, const std::string& file, bool replace,
                          const std::optional<std::string>& lock_wait_timeout = std::nullopt);

}  // namespace sonamu::cli
