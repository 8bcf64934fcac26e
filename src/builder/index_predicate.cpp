// The WHERE condition of a partial index (knex's `predicate`), written in as DDL text.
#include "builder/sql_text.hpp"

#include <sonamu/builder/column_options.hpp>
#include <sonamu/builder/query_builder.hpp>

namespace sonamu {

IndexPredicate::IndexPredicate(const QueryBuilder& conditions) {
  const Statement where = conditions.whereSQL();
  // knex 3 drops the values of a predicate (it sends `?` without them); DDL takes no
  // parameters, so here they are written in as literals, as in table.check().
  sql_ = sql::inline_raw(Raw{where.sql, where.bindings});
}

IndexPredicate::IndexPredicate(const Raw& condition) : sql_(sql::inline_raw(condition)) {}

}  // namespace sonamu
