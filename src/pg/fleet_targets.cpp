#include "pg/fleet_targets.hpp"

#include "core/error.hpp"
#include "pg/connect.hpp"

#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

namespace sonamu::pg {

std::vector<std::string> list_names(const conninfo::ConnectionTarget& listing, const std::string& query,
                                    const std::string& fleet, const StatementLimits& limits) {
  auto cx = connect(listing);
  pqxx::result rows;
  try {
    // Read-only: a listing query never changes what it lists.
    pqxx::read_transaction tx(*cx);
    // Under the limits of every other statement of the tool: a session holding the listed
    // table does not keep the whole fleet waiting.
    if (limits.statement_timeout) {
      tx.exec_params("SELECT set_config('statement_timeout', $1, true)", *limits.statement_timeout);
    }
    if (limits.lock_timeout) tx.exec_params("SELECT set_config('lock_timeout', $1, true)", *limits.lock_timeout);
    rows = tx.exec(query);
  } catch (const pqxx::broken_connection& e) {
    throw Error(ExitCode::connection, "Lost the connection to PostgreSQL at " + listing.description + ": " +
                                          one_line_reason(e.what()));
  } catch (const pqxx::sql_error& e) {
    if (e.sqlstate() == "55P03" || e.sqlstate() == "57014") {
      throw Error(ExitCode::locked, "The target query of fleet " + fleet + " did not finish on " + listing.description +
                                        " within the configured limits (--lock-timeout-sql, --statement-timeout): " +
                                        one_line_reason(e.what()));
    }
    throw Error(ExitCode::usage, "The target query of fleet " + fleet + " failed on " + listing.description + ": " +
                                     one_line_reason(e.what()));
  } catch (const std::exception& e) {
    throw Error(ExitCode::usage, "The target query of fleet " + fleet + " failed on " + listing.description +
                                     ": " + one_line_reason(e.what()));
  }
  std::vector<std::string> names;
  for (const auto& row : rows) {
    if (row.size() == 0 || row[0].is_null()) {
      throw Error(ExitCode::usage, "The target query of fleet " + fleet + " returned a row without a name");
    }
    names.push_back(row[0].as<std::string>());
  }
  if (names.empty()) {
    throw Error(ExitCode::usage, "The target query of fleet " + fleet + " returned no target");
  }
  return names;
}

}  // namespace sonamu::pg
