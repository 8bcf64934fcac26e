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
#include <utility>
#include <vector>

namespace sonamu {

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
  /// knex's `knex.ref("column")`: a quoted identifier usable as a value.
  static Raw ref(const std::string& identifier);

  /// knex's `knex.raw(sql, ...values)`, parameters bound in order to `$1`, `$2`, ...
  /// Written as a statement it runs (at the end of the statement, or when its rows are read);
  /// written as a value (`defaultTo`, `update({...})`, `whereRaw`) it is only SQL text. See
  /// RawQuery. Without parameters, `sql` may hold several statements separated by semicolons.
  template <typename... Args>
  RawQuery raw(std::string_view sql, Args&&... args) {
    return RawQuery(*this, sonamu::raw(std::string(sql), std::forward<Args>(args)...));
  }

  /// knex's `raw(sql, bindings)`: the parameters given as one list.
  /// (Taken by value so that it wins over the variadic overload for any vector argument.)
  RawQuery raw(std::string_view sql, std::vector<Param> bindings) {
    return RawQuery(*this, Raw{std::string(sql), std::move(bindings)});
  }

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
