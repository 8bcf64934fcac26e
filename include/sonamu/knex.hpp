#pragma once
/// The handle a migration's `up` and `down` receive, in the spirit of knex's `knex` parameter.
///
/// Everything executed through it runs inside the migration's transaction. Values are always
/// sent as bound parameters (`$1`, `$2`, ... in the SQL text), never spliced into it.
///
///     knex.schema.alterTable("users", [](auto& table) {
///       table.string("phone", 20).nullable();
///     });
///     knex("users").where("is_deleted", true).del();

#include <sonamu/builder/definition_error.hpp>
#include <sonamu/builder/param.hpp>
#include <sonamu/builder/query_builder.hpp>
#include <sonamu/builder/raw_query.hpp>
#include <sonamu/builder/schema_builder.hpp>
#include <sonamu/builder/sql_value.hpp>
#include <sonamu/result.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace sonamu {

/// knex's `knex.client.config`: the settings a migration reads.
struct KnexClientConfig {
  /// knex's `config.client` as a knexfile for PostgreSQL names it.
  std::string client = "pg";
};

/// knex's `knex.client` for PostgreSQL, so that `if (knex.client.config.client == "pg")` and
/// `knex.client.dialect == "postgresql"` keep a multi-database migration's PostgreSQL branch.
struct KnexClient {
  KnexClientConfig config;
  /// knex's `client.dialect`.
  std::string dialect = "postgresql";
  /// knex's `client.driverName`.
  std::string driverName = "pg";
};

/// knex's `knex.fn`: SQL functions usable as values, e.g. in `defaultTo`.
struct KnexFunctions {
  /// CURRENT_TIMESTAMP, or CURRENT_TIMESTAMP(precision).
  Raw now(std::optional<int> precision = std::nullopt) const;
};

/// The migration handle: `raw` runs SQL, `schema` builds tables, `knex("table")` builds queries.
class Knex {
 public:
  Knex() = default;
  virtual ~Knex() = default;
  // The builders keep a pointer to the handle that made them.
  Knex(const Knex&) = delete;
  Knex& operator=(const Knex&) = delete;

  /// knex's `knex.schema`.
  SchemaBuilder schema{*this};
  /// knex's `knex.fn`.
  KnexFunctions fn;

  /// knex's `knex("users")`: a query on the table (may be "schema.table").
  QueryBuilder operator()(const std::string& table) { return QueryBuilder(*this, table); }
  /// knex's `knex.queryBuilder()`: conditions without a table, for a partial index's
  /// predicate: `t.index("email", "users_email_idx", {.predicate = knex.whereNotNull("email")})`.
  QueryBuilder queryBuilder() { return QueryBuilder::conditions(*this); }
  /// knex's `knex.where(...)` and its kin: `queryBuilder()` with that condition.
  template <typename... Args>
  QueryBuilder where(Args&&... args) {
    auto conditions = queryBuilder();
    conditions.where(std::forward<Args>(args)...);
    return conditions;
  }
  QueryBuilder whereNull(const std::string& column) { return queryBuilder().whereNull(column); }
  QueryBuilder whereNotNull(const std::string& column) { return queryBuilder().whereNotNull(column); }
  QueryBuilder whereIn(const std::string& column, std::vector<SqlValue> values) {
    return queryBuilder().whereIn(column, std::move(values));
  }
  template <typename... Args>
  QueryBuilder whereRaw(Args&&... args) {
    auto conditions = queryBuilder();
    conditions.whereRaw(std::forward<Args>(args)...);
    return conditions;
  }

  /// knex's `knex.ref("column")`: a quoted identifier usable as a value.
  static Raw ref(const std::string& identifier);

  /// knex's `knex.raw(sql, ...values)`: `?` binds a value, `??` an identifier, `\\?` is a
  /// literal `?` (see sonamu::raw; SQL without `?` may use PostgreSQL's `$1`, `$2`, ...).
  /// Written as a statement it runs (at the end of the statement, or when its rows are read);
  /// written as a value (`defaultTo`, `update({...})`, `whereRaw`) it is only SQL text. See
  /// RawQuery. Without values, `sql` may hold several statements separated by semicolons.
  template <typename... Args,
            typename = std::enable_if_t<(std::is_constructible_v<SqlValue, Args&&> && ...)>>
  RawQuery raw(std::string_view sql, Args&&... args) {
    return RawQuery(*this, sonamu::raw(std::string(sql), std::forward<Args>(args)...));
  }

  /// knex's `raw(sql, [bindings])` with the values in one vector (`std::vector<Param>` or
  /// `std::vector<SqlValue>`). (A template: a braced list is always the named form below;
  /// knex's `raw(sql, [a, b])` is written `raw(sql, a, b)`.)
  template <typename List, typename = std::enable_if_t<detail::is_binding_list<List>>>
  RawQuery raw(std::string_view sql, const List& bindings) {
    return RawQuery(*this, sonamu::raw(std::string(sql), bindings));
  }
  /// knex's `raw(sql, { name: value })`: `knex.raw("select :col: from t where id = :id",
  /// {{"col", "email"}, {"id", 5}})`.
  RawQuery raw(std::string_view sql, const NamedBindings& bindings) {
    return RawQuery(*this, sonamu::raw(std::string(sql), bindings));
  }

  /// knex's `knex.client`: which database this is, for a migration written for several.
  KnexClient client;

 protected:
  /// Runs one SQL text inside the migration's transaction.
  virtual Result execute(const std::string& sql, const std::vector<Param>& params) = 0;

 private:
  // The builders send their statements through `execute`, the handle's only way out.
  friend class SchemaBuilder;
  friend class QueryBuilder;
  friend class RawQuery;
};

template <typename... Args>
SchemaBuilder& SchemaBuilder::raw(std::string_view sql, Args&&... args) {
  knex_->raw(sql, std::forward<Args>(args)...).rows();
  return *this;
}

}  // namespace sonamu
