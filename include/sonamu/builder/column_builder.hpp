#pragma once
/// The chain knex returns for a column: `table.string("email").notNullable().unique()`.

#include <sonamu/builder/detail/column_spec.hpp>
#include <sonamu/builder/foreign_key.hpp>

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace sonamu {

class TableBuilder;

/// Options of an index, as knex's `{ indexType, storageEngineIndexType }`: `indexType`
/// "unique" makes a unique index; `storageEngineIndexType` is the access method (`USING hash`).
/// `index("a", "a_idx", {.indexType = "unique"})`; a plain string is the access method, as in
/// knex: `index("a", "a_idx", "hash")`. (Every field has a default, so naming some of them
/// compiles cleanly under -Wextra.)
struct IndexOptions {
  std::string indexType = {};
  std::string storageEngineIndexType = {};
  IndexPredicate predicate = {};  ///< a partial index: `{.predicate = knex.whereNotNull("a")}`
};

/// Modifiers of one column. Index-like modifiers (unique, index, primary, references) add a
/// table statement, exactly as knex's column builder forwards them to its table builder.
class ColumnBuilder {
 public:
  ColumnBuilder(TableBuilder& table, detail::ColumnSpec spec) : table_(&table), spec_(std::move(spec)) {}

  /// Part of the primary key (ignored on increments, which are one already).
  ColumnBuilder& primary(const std::string& constraintName = {});
  /// NOT NULL.
  ColumnBuilder& notNullable();
  /// NULL (the default, but written out, as knex does).
  ColumnBuilder& nullable();
  /// DEFAULT: a value (written as an escaped literal, as DDL takes no parameters) or a Raw.
  ColumnBuilder& defaultTo(SqlValue value);
  /// A unique constraint named `<table>_<column>_unique` unless named here.
  ColumnBuilder& unique(const std::string& indexName = {});
  /// An index named `<table>_<column>_index` unless named here.
  ColumnBuilder& index(const std::string& indexName = {}, IndexOptions options = {});
  /// An index with the access method `method` ("hash", "gin", ...), knex's string form. (A
  /// template, so that a braced `{.indexType = ...}` can only mean IndexOptions.)
  template <typename Method, typename = std::enable_if_t<std::is_convertible_v<const Method&, std::string>>>
  ColumnBuilder& index(const std::string& indexName, const Method& method) {
    return index(indexName, IndexOptions{{}, std::string(method)});
  }
  /// knex's `unsigned()`: accepted and ignored, as PostgreSQL has no unsigned types.
  ColumnBuilder& unsigned_() { return *this; }
  /// COMMENT ON COLUMN; an empty text removes the comment.
  ColumnBuilder& comment(const std::string& text);
  /// knex's column checks: CHECK constraints in the column's definition, each named
  /// `constraintName` when given (else PostgreSQL names it). On a column changed with alter()
  /// each is an ALTER TABLE ... ADD CONSTRAINT of its own, named `<table>_<column>_<n>` unless
  /// named here, as knex does:
  /// CHECK (column > 0).
  ColumnBuilder& checkPositive(const std::string& constraintName = {});
  /// CHECK (column < 0).
  ColumnBuilder& checkNegative(const std::string& constraintName = {});
  /// CHECK (column IN ('a','b')).
  ColumnBuilder& checkIn(const std::vector<std::string>& values, const std::string& constraintName = {});
  /// CHECK (column NOT IN ('a','b')).
  ColumnBuilder& checkNotIn(const std::vector<std::string>& values, const std::string& constraintName = {});
  /// CHECK (column BETWEEN low AND high).
  ColumnBuilder& checkBetween(double low, double high, const std::string& constraintName = {});
  /// CHECK (column BETWEEN a AND b OR column BETWEEN c AND d), knex's `checkBetween([[a, b], [c, d]])`.
  ColumnBuilder& checkBetween(const std::vector<std::pair<double, double>>& intervals,
                              const std::string& constraintName = {});
  /// CHECK (length(column) <op> length), op one of =, <>, !=, <, <=, >, >=.
  ColumnBuilder& checkLength(const std::string& op, int length, const std::string& constraintName = {});
  /// CHECK (column ~ 'regex').
  ColumnBuilder& checkRegex(const std::string& regex, const std::string& constraintName = {});
  /// A foreign key on this column: `"users.id"`, or `"id"` then `inTable("users")`.
  ColumnBuilder& references(const std::string& target);
  /// The referenced table, after `references("id")`.
  ColumnBuilder& inTable(const std::string& table);
  /// ON DELETE action of the foreign key made by `references`.
  ColumnBuilder& onDelete(const std::string& action);
  /// ON UPDATE action of the foreign key made by `references`.
  ColumnBuilder& onUpdate(const std::string& action);
  /// Name of the foreign key made by `references`.
  ColumnBuilder& withKeyName(const std::string& name);
  /// Changes the existing column instead of adding it (only in alterTable).
  ColumnBuilder& alter(bool alterNullable = true, bool alterType = true);
  /// knex's `alter({ alterNullable, alterType })`: `alter({.alterNullable = false})`.
  ColumnBuilder& alter(const AlterOptions& options) { return alter(options.alterNullable, options.alterType); }

  /// What was said about the column.
  const detail::ColumnSpec& spec() const { return spec_; }

 private:
  ColumnBuilder& add_check(const std::string& condition, const std::string& constraintName);
  detail::ForeignKey& foreign_key(const char* method);

  TableBuilder* table_;
  detail::ColumnSpec spec_;
  detail::ForeignKey* foreign_ = nullptr;
};

}  // namespace sonamu
