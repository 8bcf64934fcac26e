#pragma once
/// The targets of a fleet as PostgreSQL lists them, and a target's session settings.

#include "conninfo/connection_target.hpp"
#include "core/database.hpp"

#include <pqxx/connection_base>

#include <string>
#include <vector>

namespace sonamu::pg {

/// The names a listing returned, each once, in the order of their first row.
struct ListedNames {
  std::vector<std::string> names;
  std::vector<std::string> repeated;  ///< names listed more than once, in order of first repeat
};

/// Runs the fleet's listing `query` on `cx` (connected to `listing`; a signal watcher may
/// cancel it there) in a read-only transaction, as one statement of the extended protocol (a
/// text of several is refused), under the configured statement timeout (one minute when none
/// is), and returns the first column of every row. Throws sonamu::Error: connection when the
/// server goes away, usage when the query fails or returns a NULL or empty name (naming its
/// row) or no row at all, locked when it did not finish within the limits or was cancelled.
ListedNames list_names(pqxx::connection_base& cx, const conninfo::ConnectionTarget& listing, const std::string& query,
                       const std::string& fleet, const StatementLimits& limits = {});

}  // namespace sonamu::pg
