#pragma once
/// The targets of a fleet as PostgreSQL lists them, and a target's session settings.

#include "conninfo/connection_target.hpp"
#include "core/database.hpp"

#include <pqxx/connection_base>

#include <string>
#include <vector>

namespace sonamu::pg {

/// Runs the fleet's listing `query` on `listing` (one connection, closed before returning)
/// and returns the first column of every row, in the order the query gives them. Throws
/// sonamu::Error: connection when the server cannot be reached, usage when the query fails,
/// returns a NULL or no row at all, locked when it did not finish within `limits`.
std::vector<std::string> list_names(const conninfo::ConnectionTarget& listing, const std::string& query,
                                    const std::string& fleet, const StatementLimits& limits = {});

}  // namespace sonamu::pg
