#pragma once
// The SQL of a query's joins, aliased tables and ON CONFLICT clause (src/builder/query_join.cpp),
// written by the query builder's statements.

#include "builder/sql_text.hpp"

#include <sonamu/builder/detail/query_extras.hpp>

#include <string>
#include <vector>

namespace sonamu::sql {

/// A table of FROM or JOIN: "schema.table", optionally "table as alias" (knex's alias form).
std::string from_table(const std::string& schema, const std::string& table);

/// ` INNER JOIN "t" ON "a"."x" = "t"."y" AND ...` for each join, in the order written.
void write_joins(Writer& out, const std::string& schema, const std::vector<detail::Join>& joins);

/// ` ON CONFLICT ("id") DO UPDATE SET ...` / `DO NOTHING`; `inserted` are the insert's columns,
/// which a plain merge() updates to the proposed values.
void write_on_conflict(Writer& out, const detail::OnConflict& conflict, const std::vector<std::string>& inserted);

}  // namespace sonamu::sql
