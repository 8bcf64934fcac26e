#pragma once
/// What a statement does, as PostgreSQL's own grammar reads it (libpg_query, the parser of
/// PostgreSQL 15): the few facts the lint rules need, one per command of the statement.

#include <string>
#include <vector>

namespace sonamu::lint {

/// One thing a statement does to a table.
struct SqlAction {
  enum class Kind {
    create_index,             ///< CREATE INDEX without CONCURRENTLY
    create_index_concurrently,
    add_validated_constraint,  ///< ADD FOREIGN KEY / CHECK, checked against every row now
    add_unvalidated_constraint,  ///< the same, NOT VALID
    add_index_constraint,  ///< ADD UNIQUE / PRIMARY KEY / EXCLUDE: builds its index now
    set_not_null,
    alter_column_type,
    add_column,
    drop_column,
    rename_column,
    data_change,  ///< INSERT, UPDATE, DELETE, MERGE, COPY
    other_ddl,
  };
  Kind kind = Kind::other_ddl;
  std::string schema;  ///< empty when the statement does not name one
  std::string table;
  std::string column;  ///< or the constraint's kind ("FOREIGN KEY", "CHECK", "UNIQUE")
};

/// What `sql` (one or more statements) does. Statements the rules have nothing to say about
/// give nothing; SQL that does not parse gives nothing either (the server reports it).
std::vector<SqlAction> sql_actions(const std::string& sql);

/// Whether `sql` may lock, rewrite, scan or drop a table named in `existing` (any schema).
/// False only when the grammar shows it cannot: every statement is a CREATE TABLE, CREATE
/// INDEX, CREATE SEQUENCE, COMMENT or ALTER TABLE that names none of those tables anywhere
/// (foreign keys, LIKE, INHERITS, PARTITION OF included) and, outside CREATE TABLE, calls no
/// function. Anything else, unparsable SQL included, may.
bool may_touch(const std::string& sql, const std::vector<std::string>& existing);

}  // namespace sonamu::lint
