#include "pg/transaction_knex.hpp"

#include "core/database.hpp"
#include "core/interrupt.hpp"
#include "core/transaction_ended.hpp"
#include "pg/connect.hpp"
#include "pg/transaction_status.hpp"

#include <pqxx/except>
#include <pqxx/prepared_statement>
#include <pqxx/result>

#include <chrono>

namespace sonamu::pg {

namespace {

Result to_result(const pqxx::result& rows) {
  std::vector<std::string> columns;
  columns.reserve(static_cast<std::size_t>(rows.columns()));
  for (pqxx::row::size_type c = 0; c < rows.columns(); ++c) columns.emplace_back(rows.column_name(c));

  std::vector<std::vector<Value>> values;
  values.reserve(rows.size());
  for (const auto& row : rows) {
    std::vector<Value> line;
    line.reserve(columns.size());
    for (const auto& field : row) {
      line.push_back(field.is_null() ? Value{} : Value{std::string(field.c_str(), field.size())});
    }
    values.push_back(std::move(line));
  }
  const auto affected = rows.columns() == 0 ? static_cast<std::size_t>(rows.affected_rows()) : 0;
  return Result(std::move(columns), std::move(values), affected);
}

}  // namespace

void TransactionKnex::refuse_transaction_control(const std::string& sql) {
  if (const auto refusal = control_.check(sql)) {
    throw DatabaseError(refusal->message + "; it was not sent", "");
  }
}

void TransactionKnex::check_still_in_transaction(const std::string& sql) {
  const TransactionState state = transaction_state(tx_.conn());
  if (state == TransactionState::open || state == TransactionState::failed) return;
  // libpqxx still takes its transaction for open: a new block makes the ROLLBACK it sends when
  // the migration fails a plain one, not a warning. Nothing else runs in it.
  try {
    tx_.exec("BEGIN");
  } catch (const std::exception&) {
    // The connection is gone: nothing more can run on it either way.
  }
  throw TransactionEnded(
      "`" + grammar::quoted_statement(sql) +
      "` ended the migration's transaction (the server had no transaction open after it): what the "
      "batch ran before it may have been committed or rolled back, without any record of it; the "
      "command stopped there");
}

Result TransactionKnex::execute(const std::string& sql, const std::vector<Param>& params) {
  throw_if_interrupted();  // stop between statements once Ctrl-C or SIGTERM arrived
  if (in_transaction_) refuse_transaction_control(sql);
  reporter_.statement(sql, params);
  const auto start = std::chrono::steady_clock::now();
  const auto finished = [&] {
    reporter_.statement_finished(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start));
  };
  try {
    if (params.empty()) {
      // The simple protocol: a raw migration may hold several statements in one text.
      auto rows = tx_.exec(sql);
      if (in_transaction_) check_still_in_transaction(sql);
      finished();
      return to_result(rows);
    }
    // libpqxx binds a null `const char*` as SQL NULL; the strings outlive the call.
    std::vector<const char*> pointers;
    pointers.reserve(params.size());
    for (const auto& param : params) pointers.push_back(param ? param->c_str() : nullptr);
    auto rows = tx_.exec_params(sql, pqxx::prepare::make_dynamic_params(pointers));
    if (in_transaction_) check_still_in_transaction(sql);
    finished();
    return to_result(rows);
  } catch (const pqxx::broken_connection&) {
    // libpqxx 6 replaces the server's last words with its own; say what is known for sure.
    throw DatabaseError(
        "lost the connection to the server (the session was terminated, or the server or "
        "network went away); nothing of this transaction was committed",
        "", true);
  } catch (const pqxx::sql_error& e) {
    throw DatabaseError(one_line_reason(e.what()), e.sqlstate());
  } catch (const pqxx::deadlock_detected& e) {
    // libpqxx 6 throws these outside sql_error, without their SQLSTATE: give it back, so a
    // broken deadlock is known as one (and the batch tried again).
    throw DatabaseError(one_line_reason(e.what()), "40P01");
  } catch (const pqxx::serialization_failure& e) {
    throw DatabaseError(one_line_reason(e.what()), "40001");
  } catch (const pqxx::failure& e) {
    throw DatabaseError(one_line_reason(e.what()), "");
  }
}

}  // namespace sonamu::pg
