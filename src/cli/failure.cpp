#include "cli/failure.hpp"

#include "conninfo/connection_target.hpp"
#include "core/error.hpp"
#include "core/exit_code.hpp"
#include "core/interrupt.hpp"
#include "pg/connect.hpp"

#include <pqxx/except>

#include <csignal>

namespace sonamu::cli {

namespace {

Failure signalled(int signal_number, const std::string& what) {
  return {128 + signal_number, what, true};
}

Failure lost_connection(const pqxx::broken_connection& e, const std::string& server) {
  // Closed by the signal's handler: the signal is the outcome, not the connection.
  if (const int signal_number = interrupt_signal()) {
    return signalled(signal_number, "interrupted: the connection was closed before the batch committed");
  }
  const std::string where = server.empty() ? "" : " at " + server;
  return {static_cast<int>(ExitCode::connection),
          "Lost the connection to PostgreSQL" + where + ": " + pg::one_line_reason(e.what())};
}

Failure sql_failure(const pqxx::sql_error& e) {
  // A statement of the tool's own (not a migration's, which the engine reports) gave up at
  // --lock-timeout-sql or --statement-timeout: kept waiting by another session, as exit 5 says.
  if (e.sqlstate() == "55P03" || e.sqlstate() == "57014") {
    return {static_cast<int>(ExitCode::locked),
            "Stopped within the configured limits (--lock-timeout-sql, --statement-timeout): " +
                pg::one_line_reason(e.what())};
  }
  return {static_cast<int>(ExitCode::migration_failed), pg::one_line_reason(e.what())};
}

Failure classify(const std::exception_ptr& error, const std::string& server) {
  try {
    std::rethrow_exception(error);
  } catch (const Interrupted& e) {
    const std::string signal = e.signal_number() == SIGINT ? "SIGINT" : "SIGTERM";
    // At a question nothing is held: no transaction to roll back, no lock to release.
    if (e.at_question()) return signalled(e.signal_number(), "interrupted by " + signal + " at the question: nothing was changed");
    return signalled(e.signal_number(),
                     "interrupted by " + signal + ": the transaction in progress was rolled back and the lock released");
  } catch (const Error& e) {
    return {static_cast<int>(e.code()), e.what()};
  } catch (const pqxx::broken_connection& e) {
    return lost_connection(e, server);
  } catch (const pqxx::sql_error& e) {
    return sql_failure(e);
  } catch (const std::exception& e) {
    return {static_cast<int>(ExitCode::migration_failed), pg::one_line_reason(e.what())};
  } catch (...) {
    return {static_cast<int>(ExitCode::migration_failed), "failed with an error of unknown type"};
  }
}

}  // namespace

Failure failure_of(const std::exception_ptr& error, const std::string& server) {
  Failure failure = classify(error, server);
  // Messages carry connection strings a user typed: never a password.
  failure.message = conninfo::redact_passwords(failure.message);
  return failure;
}

}  // namespace sonamu::cli
