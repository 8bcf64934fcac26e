#pragma once
/// The chain knex returns for a column: `table.string("email").notNullable().unique()`.

#include <sonamu/builder/detail/column_spec.hpp>
#include <sonamu/builder/foreign_key.hpp>

#include <string>

namespace sonamu {

class TableBuilder;

/// Options of an index: `indexType` "unique" makes a unique index; `storageEngineIndexType`
/// is the access method (`USING hash`). A plain string is taken as the access method, as knex does.
struct IndexOptions {
  IndexOptions() = default;
  /// The access method alone, as knex's string form: `index("a", "a_idx", "hash")`.
  IndexOptions(const char* method) : storageEngineIndexType(method) {}      // NOLINT
  IndexOptions(std::string method) : storageEngineIndexType(std::move(method)) {}  // NOLINT
  std::string indexType;
  std::string storageEngineIndexType;
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
  /// knex's `unsigned()`: accepted and ignored, as PostgreSQL has no unsigned types.
  ColumnBuilder& unsigned_() { return *this; }
  /// COMMENT ON COLUMN; an empty text removes the comment.
  ColumnBuilder& comment(const std::string& text);
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

  /// What was said about the column.
  const detail::ColumnSpec& spec() const { return spec_; }

 private:
  detail::ForeignKey& foreign_key(const char* method);

  TableBuilder* table_;
  detail::ColumnSpec spec_;
  detail::ForeignKey* foreign_ = nullptr;
};

}  // namespace sonamu
