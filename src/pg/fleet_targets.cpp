#include "pg/fleet_targets.hpp"

#include "core/error.hpp"
#include "pg/connect.hpp"

#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include <set>

namespace sonamu::pg {

namespace {

/// A statement timeout for the listing when none is configured: a listing query that runs
/// longer is a mistake, and it must not hold the fleet (or a server backend) indefinitely.
constexpr const char* default_listing_timeout = "60s";

/// PostgreSQL's refusal of a text of several statements in the extended protocol.
bool several_statements(const pqxx::sql_error& e) {
  return std::string(e.what()).find("cannot insert multiple commands into a prepared statement") != std::string::npos;
}

[[noreturn]] void refuse(const pqxx::sql_error& e, const conninfo::ConnectionTarget& listing, const std::string& fleet) {
  const std::string query = "The target query of fleet " + fleet;
  if (e.sqlstate() == "55P03" || e.sqlstate() == "57014") {
    throw Error(ExitCode::locked, query + " did not finish on " + listing.description +
                                      " within the configured limits (--lock-timeout-sql, --statement-timeout): " +
                                      one_line_reason(e.what()));
  }
  if (several_statements(e)) {
    throw Error(ExitCode::usage, query + " is more than one statement: a listing is a single query");
  }
  throw Error(ExitCode::usage, query + " failed on " + listing.description + ": " + one_line_reason(e.what()));
}

pqxx::result run_listing(pqxx::connection_base& cx, const conninfo::ConnectionTarget& listing,
                         const std::string& query, const std::string& fleet, const StatementLimits& limits) {
  try {
    // Read-only: a listing query never changes what it lists.
    pqxx::read_transaction tx(cx);
    // Under the limits of every other statement of the tool: a session holding the listed
    // table does not keep the whole fleet waiting.
    tx.exec_params("SELECT set_config('statement_timeout', $1, true)",
                   limits.statement_timeout.value_or(default_listing_timeout));
    if (limits.lock_timeout) tx.exec_params("SELECT set_config('lock_timeout', $1, true)", *limits.lock_timeout);
    // Sent as one statement of the extended protocol, which the server refuses to split: a
    // `COMMIT;` inside the text cannot end the read-only transaction and go on writing.
    return tx.exec_params(query);
  } catch (const pqxx::broken_connection& e) {
    throw Error(ExitCode::connection, "Lost the connection to PostgreSQL at " + listing.description + ": " +
                                          one_line_reason(e.what()));
  } catch (const pqxx::sql_error& e) {
    refuse(e, listing, fleet);
  } catch (const std::exception& e) {
    throw Error(ExitCode::usage, "The target query of fleet " + fleet + " failed on " + listing.description +
                                     ": " + one_line_reason(e.what()));
  }
}

ListedNames names_of(const pqxx::result& rows, const std::string& fleet) {
  ListedNames listed;
  std::set<std::string> seen;
  std::set<std::string> repeated;
  for (pqxx::result::size_type i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    const std::string where = "The target query of fleet " + fleet + " returned ";
    if (row.size() == 0 || row[0].is_null()) {
      throw Error(ExitCode::usage, where + "a row without a name (row " + std::to_string(i + 1) + ")");
    }
    std::string name = row[0].as<std::string>();
    // An empty database name makes libpq fall back to its default database: another target
    // than the one listed.
    if (name.empty()) throw Error(ExitCode::usage, where + "an empty name in row " + std::to_string(i + 1));
    if (!seen.insert(name).second) {
      if (repeated.insert(name).second) listed.repeated.push_back(name);
      continue;
    }
    listed.names.push_back(std::move(name));
  }
  if (listed.names.empty()) throw Error(ExitCode::usage, "The target query of fleet " + fleet + " returned no target");
  return listed;
}

}  // namespace

ListedNames list_names(pqxx::connection_base& cx, const conninfo::ConnectionTarget& listing, const std::string& query,
                       const std::string& fleet, const StatementLimits& limits) {
  return names_of(run_listing(cx, listing, query, fleet, limits), fleet);
}

}  // namespace sonamu::pg
