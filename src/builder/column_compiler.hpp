#pragma once
/// One column's SQL as knex's PostgreSQL column compiler writes it.

#include <sonamu/builder/detail/column_spec.hpp>

#include <string>
#include <vector>

namespace sonamu::schema {

/// What the column's SQL depends on outside the column itself.
struct ColumnContext {
  std::string table_sql;     ///< the quoted, qualified table
  std::string schema;        ///< withSchema's schema, or empty
  bool table_has_primary;    ///< the table names a primary key: increments are not one then
  std::string table_raw;     ///< the table's own name (no schema), for generated constraint names
};

/// The type: `varchar(255)`, `serial PRIMARY KEY`, `text CHECK ("v" IN ('a'))`, `"mood"`.
/// A native enum's CREATE TYPE is appended to `create_types` (unless it exists already).
std::string column_type(const detail::ColumnSpec& spec, const ColumnContext& context,
                        std::vector<std::string>& create_types);

/// The DEFAULT expression: an escaped literal, NULL, or the Raw written in.
std::string default_sql(const detail::ColumnSpec& spec);

/// `"name" type NOT NULL DEFAULT ...`, as in CREATE TABLE and ADD COLUMN.
std::string column_definition(const detail::ColumnSpec& spec, const ColumnContext& context,
                              std::vector<std::string>& create_types);

/// The statements of alter(): drop default, drop not null, type, set default, set not null.
std::vector<std::string> alter_column(const detail::ColumnSpec& spec, const ColumnContext& context,
                                      std::vector<std::string>& create_types);

/// The checks of a column changed with alter(): ALTER TABLE ... ADD CONSTRAINT each, named
/// `<table>_<column>_<n>` unless named (knex's names).
std::vector<std::string> alter_column_checks(const detail::ColumnSpec& spec, const ColumnContext& context);

/// COMMENT ON COLUMN, when the column has a comment.
std::vector<std::string> column_comment(const detail::ColumnSpec& spec, const ColumnContext& context);

}  // namespace sonamu::schema
