#pragma once
/// The `table` a createTable or alterTable callback receives.

#include <sonamu/builder/column_builder.hpp>
#include <sonamu/builder/columns.hpp>
#include <sonamu/builder/foreign_key.hpp>
#include <sonamu/builder/detail/table_statement.hpp>

#include <deque>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace sonamu {

/// A binding of `table.check()`, written into the DDL as knex writes it: numbers and booleans
/// as they are, `nullptr` as NULL, anything else (strings, uuids, time points) as an escaped
/// literal.
class CheckValue {
 public:
  template <typename T, typename = std::enable_if_t<detail::is_bindable<T>::value>>
  CheckValue(T&& value)  // NOLINT: implicit on purpose, as in `{18, "x"}`
      : param_(to_param(std::forward<T>(value))), bare_(std::is_arithmetic_v<std::decay_t<T>>) {}

  /// The value in PostgreSQL's text format; nullopt for NULL.
  const Param& param() const { return param_; }
  /// True for a number or a boolean, written without quotes.
  bool bare() const { return bare_; }

 private:
  Param param_;
  bool bare_;
};

/// Records columns and table operations; nothing runs until the callback returns, then the
/// schema builder compiles everything (checking it) and sends the statements in knex's order.
class TableBuilder {
 public:
  /// Which schema builder call this table belongs to.
  enum class Method { create, create_if_not_exists, alter };

  /// `schema` may be empty; `table` may be "schema.table". Throws DefinitionError when empty.
  TableBuilder(Method method, std::string schema, std::string table);
  TableBuilder(const TableBuilder&) = delete;
  TableBuilder& operator=(const TableBuilder&) = delete;

  // Column types -------------------------------------------------------------------------

  /// serial, the primary key unless `primaryKey` is false or the table names another one.
  ColumnBuilder& increments(const std::string& name = "id", bool primaryKey = true);
  /// bigserial, the primary key unless `primaryKey` is false or the table names another one.
  ColumnBuilder& bigIncrements(const std::string& name = "id", bool primaryKey = true);
  /// integer.
  ColumnBuilder& integer(const std::string& name);
  /// bigint.
  ColumnBuilder& bigInteger(const std::string& name);
  /// smallint.
  ColumnBuilder& smallint(const std::string& name);
  /// smallint (PostgreSQL has no tinyint).
  ColumnBuilder& tinyint(const std::string& name);
  /// varchar(length), 1 to 10485760.
  ColumnBuilder& string(const std::string& name, int length = 255);
  /// text.
  ColumnBuilder& text(const std::string& name);
  /// knex's `text(name, textType)`: "mediumtext", "longtext" are MySQL's; PostgreSQL has one
  /// text, so it is text whatever the type, as in knex.
  ColumnBuilder& text(const std::string& name, const std::string& textType) {
    (void)textType;
    return text(name);
  }
  /// boolean.
  ColumnBuilder& boolean(const std::string& name);
  /// date.
  ColumnBuilder& date(const std::string& name);
  /// timestamptz, or timestamp without `useTz`; optional precision 0 to 6.
  ColumnBuilder& datetime(const std::string& name, TimestampOptions options = {});
  /// knex's other spelling of datetime.
  ColumnBuilder& dateTime(const std::string& name, TimestampOptions options = {}) {
    return datetime(name, options);
  }
  /// The same as datetime, as in knex.
  ColumnBuilder& timestamp(const std::string& name, TimestampOptions options = {});
  /// created_at and updated_at (createdAt, updatedAt with `useCamelCase`): timestamptz when
  /// `useTimestamps`, else datetime (also timestamptz); NOT NULL DEFAULT CURRENT_TIMESTAMP
  /// with `defaultToNow`.
  void timestamps(bool useTimestamps = false, bool defaultToNow = false, bool useCamelCase = false);
  /// time.
  ColumnBuilder& time(const std::string& name);
  /// decimal(precision, scale); `std::nullopt` precision gives an unconstrained decimal.
  ColumnBuilder& decimal(const std::string& name, std::optional<int> precision = 8, int scale = 2);
  /// real (knex's `float`; precision and scale are not used on PostgreSQL).
  ColumnBuilder& float_(const std::string& name, int precision = 8, int scale = 2);
  /// double precision (knex's `double`; precision and scale are not used on PostgreSQL).
  ColumnBuilder& double_(const std::string& name, int precision = 8, int scale = 2);
  /// json.
  ColumnBuilder& json(const std::string& name);
  /// jsonb.
  ColumnBuilder& jsonb(const std::string& name);
  /// uuid, a primary key only when `primaryKey` is true.
  ColumnBuilder& uuid(const std::string& name, bool primaryKey = false);
  /// bytea.
  ColumnBuilder& binary(const std::string& name);
  /// text with CHECK (column IN values), or a native enum type with `options.useNative`.
  ColumnBuilder& enu(const std::string& name, std::vector<std::string> values,
                     EnumOptions options = {});
  /// knex's `enum` (a C++ keyword): the same as `enu`.
  ColumnBuilder& enum_(const std::string& name, std::vector<std::string> values,
                       EnumOptions options = {}) {
    return enu(name, std::move(values), std::move(options));
  }
  /// Any type, written into the SQL as given (it is SQL, not a value).
  ColumnBuilder& specificType(const std::string& name, const std::string& type);

  // Table operations ---------------------------------------------------------------------

  /// DROP COLUMN for each name (only in alterTable).
  TableBuilder& dropColumn(const Columns& names);
  /// The same as dropColumn: `dropColumns("a")`, `dropColumns({"a", "b"})`.
  TableBuilder& dropColumns(const Columns& names) { return dropColumn(names); }
  /// knex's variadic form: `dropColumns("a", "b", "c")`.
  template <typename... Rest>
  TableBuilder& dropColumns(const std::string& first, const std::string& second,
                            const Rest&... rest) {
    return dropColumn(Columns(std::vector<std::string>{first, second, std::string(rest)...}));
  }
  /// RENAME a column (only in alterTable).
  TableBuilder& renameColumn(const std::string& from, const std::string& to);
  /// A foreign key on `columns`, named `<table>_<columns>_foreign` unless `keyName` is given.
  ForeignBuilder foreign(const Columns& columns, const std::string& keyName = {});
  /// Drops the foreign key knex named for `columns`, or the one called `name` (the columns
  /// then may be `{}` or `""`, as knex's `dropForeign([], name)`; the same for the drops below).
  TableBuilder& dropForeign(const Columns& columns, const std::string& name = {});
  /// CREATE INDEX `<table>_<columns>_index` (or `name`).
  TableBuilder& index(const Columns& columns, const std::string& name = {},
                      IndexOptions options = {});
  /// An index with the access method `method` ("hash", "gin", ...), knex's string form. (A
  /// template, so that a braced `{.indexType = ...}` can only mean IndexOptions.)
  template <typename Method, typename = std::enable_if_t<std::is_convertible_v<const Method&, std::string>>>
  TableBuilder& index(const Columns& columns, const std::string& name, const Method& method) {
    return index(columns, name, IndexOptions{{}, std::string(method)});
  }
  /// DROP INDEX `<table>_<columns>_index` (or `name`).
  TableBuilder& dropIndex(const Columns& columns, const std::string& name = {});
  /// A unique constraint `<table>_<columns>_unique`.
  TableBuilder& unique(const Columns& columns) { return unique_constraint(columns, {}); }
  /// A unique constraint called `name`. (A template, so that a braced `{.indexName = ...}`
  /// can only mean UniqueOptions.)
  template <typename Name, typename = std::enable_if_t<std::is_convertible_v<const Name&, std::string>>>
  TableBuilder& unique(const Columns& columns, const Name& name) {
    return unique_constraint(columns, std::string(name));
  }
  /// knex's `unique(columns, { indexName, deferrable, predicate, useConstraint })`:
  /// `unique({"a", "b"}, {.indexName = "ab_key", .deferrable = "deferred"})`. With a predicate
  /// (or useConstraint false) a unique index, as knex makes it.
  TableBuilder& unique(const Columns& columns, const UniqueOptions& options);
  /// Drops the unique constraint `<table>_<columns>_unique` (or `name`).
  TableBuilder& dropUnique(const Columns& columns, const std::string& name = {});
  /// The primary key on `columns`, constraint `<table>_pkey` (or `name`).
  TableBuilder& primary(const Columns& columns, const std::string& name = {});
  /// Drops the primary key constraint `<table>_pkey` (or `name`).
  TableBuilder& dropPrimary(const std::string& name = {});
  /// DROP NOT NULL (only in alterTable).
  TableBuilder& setNullable(const std::string& column);
  /// SET NOT NULL (only in alterTable).
  TableBuilder& dropNullable(const std::string& column);
  /// Drops created_at and updated_at (createdAt, updatedAt with `useCamelCase`).
  TableBuilder& dropTimestamps(bool useCamelCase = false);
  /// COMMENT ON TABLE; an empty text removes the comment.
  TableBuilder& comment(const std::string& text);
  /// knex's `table.check(predicate, bindings, constraintName)`: a CHECK constraint on the table.
  /// `predicate` is SQL with knex's placeholders, `?` a value and `??` an identifier, or with
  /// PostgreSQL's `$1`, `$2`, ...; the values are written in as knex writes them (CheckValue;
  /// DDL takes no parameters). In createTable it is part of CREATE TABLE (unnamed: PostgreSQL
  /// names it); in alterTable it is ALTER TABLE ... ADD CONSTRAINT, named `<table>_<n>` unless
  /// named. `t.check("?? > ?", {"price", 0}, "price_positive")`.
  TableBuilder& check(const std::string& predicate, const std::vector<CheckValue>& bindings = {},
                      const std::string& constraintName = {});
  /// knex's `table.dropChecks(names)`: DROP CONSTRAINT for each name (only in alterTable); no
  /// names, no statement, as in knex.
  TableBuilder& dropChecks(const Columns& names = {});

  // Read by the SQL compiler (the types are the library's, in sonamu::detail) -------------

  /// createTable, createTableIfNotExists or alterTable.
  Method method() const { return method_; }
  /// The schema given by withSchema, or empty.
  const std::string& schema() const { return schema_; }
  /// The table name as written (possibly "schema.table").
  const std::string& name() const { return name_; }
  /// The columns, in the order written.
  const std::deque<ColumnBuilder>& columns() const { return columns_; }
  /// The table operations, in the order written.
  const std::deque<detail::TableStatement>& statements() const { return statements_; }
  /// The table's comment, when `comment` was called.
  const std::optional<std::string>& table_comment() const { return comment_; }

 private:
  TableBuilder& unique_constraint(const Columns& columns, const std::string& name);
  // ColumnBuilder adds a table statement for some of its modifiers (unique, index, references).
  friend class ColumnBuilder;
  detail::TableStatement& add_statement(detail::TableStatement statement);
  ColumnBuilder& add_column(detail::ColumnSpec spec);
  void require_alter(const char* method) const;

  Method method_;
  std::string schema_;
  std::string name_;
  // Deques: builders hand out references, which must survive later additions.
  std::deque<ColumnBuilder> columns_;
  std::deque<detail::TableStatement> statements_;
  std::optional<std::string> comment_;
  int unnamed_checks_ = 0;  ///< numbers the unnamed checks of alterTable
};

}  // namespace sonamu
