#pragma once
/// `knex("users")`: data migrations with where/whereIn/whereNull, update, insert, delete, select.

#include <sonamu/builder/columns.hpp>
#include <sonamu/builder/detail/where_clause.hpp>
#include <sonamu/builder/sql_value.hpp>
#include <sonamu/builder/statement.hpp>
#include <sonamu/result.hpp>

#include <optional>
#include <string>
#include <vector>

namespace sonamu {

class Knex;

/// Conditions and options are collected; `update`, `insert`, `del` and reading the rows
/// (`first`, or converting to Result) compile and run one statement. Values are bound.
class QueryBuilder {
 public:
  /// `table` may be "schema.table". Throws DefinitionError when empty.
  QueryBuilder(Knex& knex, std::string table);

  /// The schema of the table.
  QueryBuilder& withSchema(const std::string& schema);
  /// The columns to read ("name as alias" allowed); all columns when never called.
  QueryBuilder& select(const Columns& columns);
  /// `select("id", "email")`.
  template <typename... Rest>
  QueryBuilder& select(const std::string& first, const std::string& second, const Rest&... rest) {
    return select(Columns(std::vector<std::string>{first, second, std::string(rest)...}));
  }
  /// `column = value`, or `column IS NULL` for a null value.
  QueryBuilder& where(const std::string& column, SqlValue value);
  /// `column <op> value` with a permitted operator (=, <>, <, like, ilike, @>, ...).
  QueryBuilder& where(const std::string& column, const std::string& op, SqlValue value);
  /// Every pair as `column = value` (knex's object form).
  QueryBuilder& where(const Row& conditions);
  /// As where, joined with OR.
  QueryBuilder& orWhere(const std::string& column, SqlValue value);
  /// As where with an operator, joined with OR.
  QueryBuilder& orWhere(const std::string& column, const std::string& op, SqlValue value);
  /// NOT column = value.
  QueryBuilder& whereNot(const std::string& column, SqlValue value);
  /// column IN (values); an empty list matches nothing, as in knex.
  QueryBuilder& whereIn(const std::string& column, std::vector<SqlValue> values);
  /// column NOT IN (values); an empty list matches everything.
  QueryBuilder& whereNotIn(const std::string& column, std::vector<SqlValue> values);
  /// column IS NULL.
  QueryBuilder& whereNull(const std::string& column);
  /// column IS NOT NULL.
  QueryBuilder& whereNotNull(const std::string& column);
  /// An SQL condition with its own `$1`, `$2`, ... parameters.
  QueryBuilder& whereRaw(Raw condition);
  /// ORDER BY column ASC or DESC.
  QueryBuilder& orderBy(const std::string& column, const std::string& direction = "asc");
  /// LIMIT, bound as a parameter.
  QueryBuilder& limit(long long count);
  /// OFFSET, bound as a parameter.
  QueryBuilder& offset(long long count);
  /// RETURNING for insert, update and delete.
  QueryBuilder& returning(const Columns& columns);

  /// UPDATE the matching rows; `raw(...)` values are written as expressions.
  Result update(const Row& values);
  /// INSERT one row (an empty row inserts DEFAULT VALUES).
  Result insert(const Row& row);
  /// INSERT several rows; columns are the sorted union, missing ones DEFAULT, as in knex.
  Result insert(const std::vector<Row>& rows);
  /// DELETE the matching rows (knex's `del`, as `delete` is a C++ keyword).
  Result del();
  /// The first matching row: SELECT ... LIMIT 1.
  Result first();
  /// Runs the SELECT and returns its rows.
  operator Result();  // NOLINT: implicit, so `Result rows = knex("t").where(...)` reads like knex

  /// The SELECT as it would run.
  Statement toSQL() const;
  /// The UPDATE that `update(values)` would run.
  Statement updateSQL(const Row& values) const;
  /// The INSERT that `insert(rows)` would run.
  Statement insertSQL(const std::vector<Row>& rows) const;
  /// The DELETE that `del()` would run.
  Statement delSQL() const;

 private:
  QueryBuilder& add_compare(bool or_, bool not_, const std::string& column, const std::string& op,
                            SqlValue value);
  Result run(const Statement& statement);

  Knex* knex_;
  std::string schema_;
  std::string table_;
  std::vector<std::string> columns_;
  std::vector<detail::WhereClause> wheres_;
  std::vector<std::pair<std::string, std::string>> order_;
  std::optional<long long> limit_;
  std::optional<long long> offset_;
  std::vector<std::string> returning_;
};

}  // namespace sonamu
