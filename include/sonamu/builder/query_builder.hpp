#pragma once
/// `knex("users")`: data migrations with where/whereIn/whereNull, update, insert, delete, select.

#include <sonamu/builder/columns.hpp>
#include <sonamu/builder/detail/query_extras.hpp>
#include <sonamu/builder/detail/where_clause.hpp>
#include <sonamu/builder/join_clause.hpp>
#include <sonamu/builder/sql_value.hpp>
#include <sonamu/builder/statement.hpp>
#include <sonamu/result.hpp>

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <type_traits>
#include <utility>
#include <string>
#include <vector>

namespace sonamu {

class Knex;
class RawQuery;

namespace detail {
/// A Raw, or knex.raw(...) written as a value.
template <typename T>
constexpr bool is_raw_condition = std::is_same_v<T, Raw> || std::is_same_v<T, RawQuery>;
}  // namespace detail

/// Conditions and options are collected, values are bound, and the statement runs in knex's
/// order: when the statement of C++ that wrote the chain ends, as knex's runs at `await`.
///
///     knex("users").del().where("id", 1);               // DELETE ... WHERE "id" = $1
///     knex("users").update({{"a", 1}}).where("id", 2);  // UPDATE ... WHERE "id" = $2
///     Result rows = knex("users").insert(row).returning("*");  // runs here, rows read back
///
/// The rules:
/// - `del()`, `update(...)` and `insert(...)` give a pending builder; it runs once, at the end
///   of the full expression that made it, or earlier when its result is read (`rows()`,
///   `affected_rows()`, conversion to Result). A pending builder kept in a variable
///   (`auto d = knex("t").del();`) runs when read, at the latest when the variable ends.
/// - A builder without `del`/`update`/`insert` is a SELECT: it runs only when read
///   (`rows()`, `first()`, conversion to Result). `auto q = knex("t").where(...);` followed by
///   nothing runs nothing, as an un-awaited knex query.
/// - Copying a builder copies its conditions, never a pending run: no statement runs twice.
/// - An error of the statement is thrown where it runs. While another exception unwinds the
///   stack the pending statement is dropped silently (the migration fails with that exception).
class QueryBuilder {
 public:
  /// `table` may be "schema.table". Throws DefinitionError when empty.
  QueryBuilder(Knex& knex, std::string table);
  /// Same table and conditions; the copy has nothing pending (so assigning `q = knex("t").del();`
  /// leaves the delete to run once, at the end of that statement).
  QueryBuilder(const QueryBuilder& other);
  QueryBuilder& operator=(const QueryBuilder& other);
  /// Takes over a pending run: the moved-from builder has nothing pending.
  QueryBuilder(QueryBuilder&& other) noexcept;
  /// Runs a pending statement, unless an exception is unwinding the stack.
  ~QueryBuilder() noexcept(false);

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
  /// knex's `whereRaw(sql, bindings)`: `whereRaw("age > $1 AND age < $2", 18, 65)`, or
  /// `whereRaw(R"("a"."id" = "b"."a_id")")` without values.
  template <typename... Args>
  QueryBuilder& whereRaw(std::string sql, Args&&... args) {
    return whereRaw(raw(std::move(sql), std::forward<Args>(args)...));
  }
  /// knex's `where(knex.raw(...))`. (A template taking only a Raw or a knex.raw, so that a
  /// braced `{{"a", 1}}` always means the Row form.)
  template <typename Condition, typename = std::enable_if_t<detail::is_raw_condition<Condition>>>
  QueryBuilder& where(const Condition& condition) {
    return whereRaw(Raw(condition));
  }
  /// knex's `orWhere(knex.raw(...))`: an SQL condition joined with OR.
  template <typename Condition, typename = std::enable_if_t<detail::is_raw_condition<Condition>>>
  QueryBuilder& orWhere(const Condition& condition) {
    return orWhereRaw(Raw(condition));
  }
  /// OR column IS NULL.
  QueryBuilder& orWhereNull(const std::string& column) { return or_last(whereNull(column)); }
  /// OR column IS NOT NULL.
  QueryBuilder& orWhereNotNull(const std::string& column) { return or_last(whereNotNull(column)); }
  /// As whereRaw, joined with OR.
  QueryBuilder& orWhereRaw(Raw condition) { return or_last(whereRaw(std::move(condition))); }
  /// knex's `orWhereRaw(sql, bindings)`: `orWhereRaw("age > ?", 18)`.
  template <typename... Args>
  QueryBuilder& orWhereRaw(std::string sql, Args&&... args) {
    return orWhereRaw(raw(std::move(sql), std::forward<Args>(args)...));
  }
  /// EXISTS (subquery): `whereExists(knex("orders").whereRaw(R"("orders"."user_id" = "users"."id")"))`.
  QueryBuilder& whereExists(const QueryBuilder& subquery);
  /// NOT EXISTS (subquery).
  QueryBuilder& whereNotExists(const QueryBuilder& subquery);
  /// ORDER BY column ASC or DESC.
  QueryBuilder& orderBy(const std::string& column, const std::string& direction = "asc");
  /// ORDER BY several columns, each ascending: `orderBy({"last_name", "first_name"})`.
  /// (A list literal never reaches the single-column form: the list overload is a better match.)
  QueryBuilder& orderBy(std::initializer_list<std::string> columns);
  /// As above, from a vector.
  QueryBuilder& orderBy(const std::vector<std::string>& columns);
  /// LIMIT, bound as a parameter.
  QueryBuilder& limit(long long count);
  /// OFFSET, bound as a parameter.
  QueryBuilder& offset(long long count);
  /// knex's `join(table, first, second)`: INNER JOIN table ON first = second. `table` may be
  /// "schema.table as alias"; the columns "table.column".
  QueryBuilder& join(const std::string& table, const std::string& first, const std::string& second) {
    return join(table, first, "=", second);
  }
  /// INNER JOIN table ON first op second.
  QueryBuilder& join(const std::string& table, const std::string& first, const std::string& op,
                     const std::string& second) {
    return add_join("INNER JOIN", table, JoinClause().on(first, op, second));
  }
  /// INNER JOIN with the conditions a callback writes: `join("o", [](JoinClause& j) { j.on(...); })`.
  template <typename Callback, typename = std::enable_if_t<std::is_invocable_v<Callback&, JoinClause&>>>
  QueryBuilder& join(const std::string& table, Callback&& callback) {
    JoinClause clause;
    callback(clause);
    return add_join("INNER JOIN", table, std::move(clause));
  }
  /// The same as join.
  template <typename... Args>
  QueryBuilder& innerJoin(const std::string& table, Args&&... args) {
    return join(table, std::forward<Args>(args)...);
  }
  /// LEFT JOIN, with the arguments of join.
  template <typename... Args>
  QueryBuilder& leftJoin(const std::string& table, Args&&... args) {
    join(table, std::forward<Args>(args)...);
    extras_.joins.back().keyword = "LEFT JOIN";
    return *this;
  }
  /// knex's `insert(...).onConflict(columns)`: the conflict target of the pending insert
  /// (none: any conflict), followed by `merge()` or `ignore()`.
  QueryBuilder& onConflict(const Columns& columns = {});
  /// ON CONFLICT DO NOTHING.
  QueryBuilder& ignore();
  /// ON CONFLICT DO UPDATE of every inserted column to the proposed value (`excluded`).
  QueryBuilder& merge();
  /// DO UPDATE of these columns only: `merge({"name", "price"})`.
  QueryBuilder& merge(const Columns& columns);
  /// DO UPDATE SET these values, knex's `merge({ column: value })`: `merge(Row{{"n", 1}})`.
  QueryBuilder& merge(const Row& values);
  /// RETURNING for insert, update and delete.
  QueryBuilder& returning(const Columns& columns);

  /// UPDATE the matching rows; `raw(...)` values are written as expressions. Pending: runs at
  /// the end of the statement, with the conditions chained before or after it.
  QueryBuilder update(const Row& values) const;
  /// INSERT one row (an empty row inserts DEFAULT VALUES). Pending, as update.
  QueryBuilder insert(const Row& row) const;
  /// INSERT several rows; columns are the sorted union, missing ones DEFAULT, as in knex.
  QueryBuilder insert(const std::vector<Row>& rows) const;
  /// DELETE the matching rows (knex's `del`, as `delete` is a C++ keyword). Pending, as update.
  QueryBuilder del() const;
  /// The first matching row: SELECT ... LIMIT 1, run at once.
  Result first() const;
  /// Runs the statement (the pending write, or the SELECT) now and returns its rows. A pending
  /// write runs once: reading again gives the same rows.
  Result rows() const;
  /// Runs as rows() and gives the number of rows inserted, updated or deleted.
  std::size_t affected_rows() const { return rows().affected_rows(); }
  /// As rows(), so `Result rows = knex("t").where(...)` reads like knex.
  operator Result() const { return rows(); }  // NOLINT: implicit on purpose

  /// The statement as it would run: the pending write, or the SELECT.
  Statement toSQL() const;
  /// The SELECT of this builder's table and conditions.
  Statement selectSQL() const;
  /// The UPDATE that `update(values)` would run.
  Statement updateSQL(const Row& values) const;
  /// The INSERT that `insert(rows)` would run.
  Statement insertSQL(const std::vector<Row>& rows) const;
  /// The DELETE that `del()` would run.
  Statement delSQL() const;
  /// The conditions alone, without WHERE (empty without conditions): a partial index's predicate.
  Statement whereSQL() const;

  /// knex's `knex.queryBuilder()`: conditions without a table, as the predicate of a partial
  /// index (`knex.whereNotNull("email")`). Reading or running it is a DefinitionError.
  static QueryBuilder conditions(Knex& knex);

 private:
  struct ConditionsOnly {};
  QueryBuilder(Knex& knex, ConditionsOnly);
  QueryBuilder& add_compare(bool or_, bool not_, const std::string& column, const std::string& op,
                            SqlValue value);
  enum class Operation { select, update, insert, del };
  QueryBuilder pending(Operation operation) const;
  Result run(const Statement& statement) const;
  QueryBuilder& add_exists(bool not_, const QueryBuilder& subquery);
  QueryBuilder& add_join(const char* keyword, const std::string& table, JoinClause clause);
  detail::OnConflict& conflict(const char* method);
  /// Makes the condition just added an OR.
  QueryBuilder& or_last(QueryBuilder& self) {
    wheres_.back().or_ = true;
    return self;
  }

  Knex* knex_;
  Operation operation_ = Operation::select;
  Row update_values_;
  std::vector<Row> insert_rows_;
  // Whether the write still has to run; mutable, as reading a const builder's rows runs it.
  mutable bool pending_ = false;
  mutable std::optional<Result> result_;
  int exceptions_at_creation_ = 0;
  std::string schema_;
  std::string table_;
  std::vector<std::string> columns_;
  std::vector<detail::WhereClause> wheres_;
  std::vector<std::pair<std::string, std::string>> order_;
  std::optional<long long> limit_;
  std::optional<long long> offset_;
  std::vector<std::string> returning_;
  detail::QueryExtras extras_;
};

}  // namespace sonamu
