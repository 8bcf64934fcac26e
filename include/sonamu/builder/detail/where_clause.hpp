#pragma once
/// One condition of a WHERE clause, as the query builder records it.
/// Not part of the migration author's API: read by the library only.

#include <sonamu/builder/sql_value.hpp>

#include <string>
#include <vector>

namespace sonamu::detail {

/// One condition of a WHERE clause.
struct WhereClause {
  enum class Kind { compare, null, not_null, in, not_in, raw };
  Kind kind = Kind::compare;
  bool or_ = false;   ///< joined with OR instead of AND
  bool not_ = false;  ///< whereNot
  std::string column;
  std::string op;     ///< compare: a permitted operator
  std::vector<SqlValue> values;  ///< compare: one; in/not_in: the list
  Raw expression;                ///< raw
};

}  // namespace sonamu::detail
