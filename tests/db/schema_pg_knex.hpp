#pragma once
// A migration handle over one libpqxx transaction, for tests that run the builders on a real
// server without the migrator around them.

#include <sonamu/knex.hpp>

#include <pqxx/prepared_statement>
#include <pqxx/result>
#include <pqxx/transaction>

#include <string>
#include <vector>

namespace sonamu::test {

/// Sends each statement through `tx` with its parameters bound, and keeps the SQL it sent.
class PgKnex : public Knex {
 public:
  explicit PgKnex(pqxx::work& tx) : tx_(tx) {}
  std::vector<std::string> sent;

 protected:
  Result execute(const std::string& sql, const std::vector<Param>& params) override {
    sent.push_back(sql);
    std::vector<const char*> pointers;
    for (const auto& param : params) pointers.push_back(param ? param->c_str() : nullptr);
    const auto rows = params.empty() ? tx_.exec(sql)
                                     : tx_.exec_params(sql, pqxx::prepare::make_dynamic_params(pointers));
    std::vector<std::string> columns;
    for (pqxx::row::size_type c = 0; c < rows.columns(); ++c) columns.emplace_back(rows.column_name(c));
    std::vector<std::vector<Value>> values;
    for (const auto& row : rows) {
      std::vector<Value> line;
      for (const auto& field : row) line.push_back(field.is_null() ? Value{} : Value{field.c_str()});
      values.push_back(std::move(line));
    }
    const auto affected = rows.columns() == 0 ? static_cast<std::size_t>(rows.affected_rows()) : 0;
    return Result(std::move(columns), std::move(values), affected);
  }

 private:
  pqxx::work& tx_;
};

/// Runs `fn` with a handle on a new transaction of `db`, and commits.
template <typename Database, typename Fn>
void with_knex(const Database& db, Fn fn) {
  auto cx = db.connect();
  pqxx::work tx(*cx);
  PgKnex knex(tx);
  fn(knex);  // a callback may take `Knex&` or `PgKnex&`
  tx.commit();
}

}  // namespace sonamu::test
