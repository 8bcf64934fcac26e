#pragma once
/// The option objects of knex's column types, as a migration passes them: by field name with
/// C++20's designated initializers, `{.useTz = false}`, or in order, `{false}`. Every field has
/// a default member initializer, so leaving fields out compiles cleanly under -Wextra.

#include <sonamu/builder/sql_value.hpp>

#include <optional>
#include <string>

namespace sonamu {

/// knex's `{ useTz, precision }` for datetime and timestamp.
struct TimestampOptions {
  bool useTz = true;
  std::optional<int> precision = std::nullopt;  ///< fractional digits, 0 to 6
};

/// knex's options of `enu`: a CHECK constraint by default, or a native PostgreSQL enum type.
struct EnumOptions {
  bool useNative = false;
  std::string enumName = {};      ///< required with useNative
  bool existingType = false; ///< the type exists already: do not create it
  std::string schemaName = {};    ///< schema of the type; defaults to the table's
};

class QueryBuilder;

/// knex's `predicate` of a partial index: the conditions of a query builder without a table,
/// `knex.whereNotNull("email")`, or an SQL condition, `sonamu::raw("\"n\" > 0")`. DDL takes
/// no parameters, so the values are written in as literals.
class IndexPredicate {
 public:
  IndexPredicate() = default;
  IndexPredicate(const QueryBuilder& conditions);  // NOLINT: implicit, as knex's predicate
  IndexPredicate(const Raw& condition);            // NOLINT: implicit, as knex's predicate
  /// The condition after WHERE; empty for none.
  const std::string& sql() const { return sql_; }

 private:
  std::string sql_;
};

/// knex's options of `unique(columns, { indexName, deferrable, predicate, useConstraint })`.
/// A constraint, unless `predicate` is given or `useConstraint` is false: then a unique index.
struct UniqueOptions {
  std::string indexName = {};   ///< the name; `<table>_<columns>_unique` when empty
  std::string deferrable = {};  ///< "deferred" or "immediate": DEFERRABLE INITIALLY ...
  IndexPredicate predicate = {};
  std::optional<bool> useConstraint = std::nullopt;  ///< knex's default: deferrable or no predicate
};

/// knex's options of `alter({ alterNullable, alterType })`: which parts of an existing column
/// alter() changes. `alter({.alterNullable = false})`.
struct AlterOptions {
  bool alterNullable = true;
  bool alterType = true;
};

}  // namespace sonamu
