#pragma once
/// A table-level operation recorded by the table builder, compiled after the callback returns.
/// Not part of the migration author's API: read by the library only.

#include <sonamu/builder/detail/foreign_key.hpp>

#include <string>
#include <vector>

namespace sonamu::detail {

/// One of knex's "alterTable" statements, in the order the migration wrote them.
struct TableStatement {
  enum class Kind {
    foreign,
    index,
    unique,
    primary,
    drop_primary,
    drop_index,
    drop_unique,
    drop_foreign,
    drop_column,
    rename_column,
    set_nullable,
    drop_nullable,
    check,       ///< table.check(): in CREATE TABLE, or ADD CONSTRAINT in alterTable
    drop_checks  ///< table.dropChecks(): the names in `columns`
  };
  Kind kind = Kind::index;
  std::vector<std::string> columns;
  std::string name;        ///< index or constraint name; empty: the generated one
  std::string rename_to;   ///< rename_column
  std::string index_type;  ///< index: "unique" or empty
  std::string storage;     ///< index: access method (USING ...) or empty
  ForeignKey foreign;      ///< foreign
  std::string check_sql;   ///< check: the predicate, its bindings written in as literals
  std::string predicate;   ///< index: WHERE condition of a partial index, values written in
  std::string deferrable;  ///< unique: "deferred" or "immediate", or empty
  bool unique_index = false;  ///< index made by unique(): named `<table>_<columns>_unique`
};

}  // namespace sonamu::detail
