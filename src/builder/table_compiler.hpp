#pragma once
/// A described table turned into statements, in the order knex 3 sends them on PostgreSQL.

#include <sonamu/builder/statement.hpp>
#include <sonamu/builder/table_builder.hpp>

#include <string>
#include <vector>

namespace sonamu::schema {

/// `"table"`, `"schema"."table"` for withSchema, or knex's split of "schema.table".
std::string qualified_table(const std::string& schema, const std::string& table);

/// Every statement of a createTable or alterTable, checked first: throws DefinitionError (and
/// returns nothing) when any part cannot be compiled, so no statement runs half a table.
std::vector<Statement> compile_table(const TableBuilder& table);

}  // namespace sonamu::schema
