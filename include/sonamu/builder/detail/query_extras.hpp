#pragma once
/// The parts of a query that knex's porting needs beyond where/order/limit: joins and the
/// ON CONFLICT clause of an insert. Not part of the migration author's API.

#include <sonamu/builder/join_clause.hpp>
#include <sonamu/builder/sql_value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace sonamu::detail {

/// One join of a SELECT.
struct Join {
  std::string keyword;  ///< "INNER JOIN" or "LEFT JOIN"
  std::string table;    ///< as written, "schema.table as alias" allowed
  JoinClause clause;
};

/// knex's `insert(...).onConflict(columns).merge(...)` / `.ignore()`.
struct OnConflict {
  enum class Action { none, ignore, merge };
  std::vector<std::string> columns;  ///< the conflict target; empty: any conflict
  Action action = Action::none;
  std::optional<std::vector<std::string>> merge_columns;  ///< merge(columns); all when absent
  std::optional<Row> merge_values;                        ///< merge({column: value})
};

/// Joins and conflict handling, copied with the builder.
struct QueryExtras {
  std::vector<Join> joins;
  std::optional<OnConflict> on_conflict;
};

}  // namespace sonamu::detail
