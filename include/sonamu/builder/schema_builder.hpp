#pragma once
/// `knex.schema`: create, alter, drop and inspect tables.

#include <sonamu/builder/statement.hpp>
#include <sonamu/builder/table_builder.hpp>
#include <sonamu/result.hpp>

#include <functional>
#include <string>
#include <vector>

namespace sonamu {

class Knex;

/// Each call compiles its statements, checks them, and runs them at once through the handle
/// (knex runs them when awaited; a C++ migration has nothing to await).
class SchemaBuilder {
 public:
  /// What createTable and alterTable call with the table builder.
  using TableCallback = std::function<void(TableBuilder&)>;

  /// A builder sending its statements through `knex`, for tables in `schema` (or the current one).
  explicit SchemaBuilder(Knex& knex, std::string schema = {}) : knex_(&knex), schema_(std::move(schema)) {}

  /// A builder whose tables live in `schema`: `knex.schema.withSchema("app").createTable(...)`.
  SchemaBuilder withSchema(const std::string& schema) const;

  /// CREATE TABLE with the columns and operations the callback describes.
  SchemaBuilder& createTable(const std::string& table, const TableCallback& callback);
  /// CREATE TABLE IF NOT EXISTS (knex discourages it: the extra statements still run).
  SchemaBuilder& createTableIfNotExists(const std::string& table, const TableCallback& callback);
  /// ALTER TABLE: add, change and drop columns, keys and indexes.
  SchemaBuilder& alterTable(const std::string& table, const TableCallback& callback);
  /// knex's alias of alterTable.
  SchemaBuilder& table(const std::string& table, const TableCallback& callback) {
    return alterTable(table, callback);
  }
  /// DROP TABLE.
  SchemaBuilder& dropTable(const std::string& table);
  /// DROP TABLE IF EXISTS.
  SchemaBuilder& dropTableIfExists(const std::string& table);
  /// ALTER TABLE ... RENAME TO.
  SchemaBuilder& renameTable(const std::string& from, const std::string& to);
  /// Whether the table exists in this builder's schema (the current schema by default).
  bool hasTable(const std::string& table);
  /// Whether the table has the column.
  bool hasColumn(const std::string& table, const std::string& column);
  /// Runs SQL through the handle at once, as knex's `knex.schema.raw`; chains:
  /// `knex.schema.raw("CREATE EXTENSION ...").raw("CREATE TYPE ...")`.
  template <typename... Args>
  SchemaBuilder& raw(std::string_view sql, Args&&... args);

  /// The statements createTable/alterTable would run, without running them (knex's toSQL).
  std::vector<Statement> toSQL(TableBuilder::Method method, const std::string& table,
                               const TableCallback& callback) const;

 private:
  Result run(const Statement& statement);

  Knex* knex_;
  std::string schema_;
};

}  // namespace sonamu
