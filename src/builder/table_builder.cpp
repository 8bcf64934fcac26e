#include "builder/sql_text.hpp"

#include <sonamu/builder/definition_error.hpp>
#include <sonamu/builder/table_builder.hpp>

namespace sonamu {

namespace {

void require_name(const std::string& name, const char* method) {
  if (name.empty()) throw DefinitionError(std::string(method) + "() needs a column name");
}

void require_columns(const Columns& columns, const std::string& name, const char* method) {
  if (columns.empty() && name.empty()) {
    throw DefinitionError(std::string(method) + "() needs columns or a name");
  }
  // knex's `dropIndex('', name)`: an explicit name makes the columns unused.
  if (!name.empty() && columns.names().size() == 1 && columns.names().front().empty()) return;
  for (const auto& column : columns.names()) {
    if (column.empty()) throw DefinitionError(std::string(method) + "() got an empty column name");
  }
}

}  // namespace

TableBuilder::TableBuilder(Method method, std::string schema, std::string table)
    : method_(method), schema_(std::move(schema)), name_(std::move(table)) {
  if (name_.empty()) throw DefinitionError("a table name cannot be empty");
}

ColumnBuilder& TableBuilder::add_column(detail::ColumnSpec spec) {
  return columns_.emplace_back(*this, std::move(spec));
}

detail::TableStatement& TableBuilder::add_statement(detail::TableStatement statement) {
  return statements_.emplace_back(std::move(statement));
}

void TableBuilder::require_alter(const char* method) const {
  if (method_ != Method::alter) {
    throw DefinitionError(std::string(method) + "() is only possible in alterTable");
  }
}

// Column types --------------------------------------------------------------------------

namespace {

detail::ColumnSpec spec_of(detail::ColumnType type, const std::string& name, const char* method) {
  require_name(name, method);
  detail::ColumnSpec spec;
  spec.type = type;
  spec.name = name;
  return spec;
}

}  // namespace

ColumnBuilder& TableBuilder::increments(const std::string& name, bool primaryKey) {
  auto spec = spec_of(detail::ColumnType::increments, name, "increments");
  spec.primary_key = primaryKey;
  return add_column(std::move(spec));
}

ColumnBuilder& TableBuilder::bigIncrements(const std::string& name, bool primaryKey) {
  auto spec = spec_of(detail::ColumnType::big_increments, name, "bigIncrements");
  spec.primary_key = primaryKey;
  return add_column(std::move(spec));
}

ColumnBuilder& TableBuilder::integer(const std::string& name) {
  return add_column(spec_of(detail::ColumnType::integer, name, "integer"));
}

ColumnBuilder& TableBuilder::bigInteger(const std::string& name) {
  return add_column(spec_of(detail::ColumnType::big_integer, name, "bigInteger"));
}

ColumnBuilder& TableBuilder::smallint(const std::string& name) {
  return add_column(spec_of(detail::ColumnType::smallint, name, "smallint"));
}

ColumnBuilder& TableBuilder::tinyint(const std::string& name) {
  return add_column(spec_of(detail::ColumnType::tinyint, name, "tinyint"));
}

ColumnBuilder& TableBuilder::string(const std::string& name, int length) {
  // PostgreSQL's limit for varchar(n).
  if (length < 1 || length > 10485760) {
    throw DefinitionError("string(\"" + name + "\", " + std::to_string(length) +
                          "): the length must be between 1 and 10485760");
  }
  auto spec = spec_of(detail::ColumnType::string, name, "string");
  spec.length = length;
  return add_column(std::move(spec));
}

ColumnBuilder& TableBuilder::text(const std::string& name) {
  return add_column(spec_of(detail::ColumnType::text, name, "text"));
}

ColumnBuilder& TableBuilder::boolean(const std::string& name) {
  return add_column(spec_of(detail::ColumnType::boolean, name, "boolean"));
}

ColumnBuilder& TableBuilder::date(const std::string& name) {
  return add_column(spec_of(detail::ColumnType::date, name, "date"));
}

ColumnBuilder& TableBuilder::datetime(const std::string& name, TimestampOptions options) {
  if (options.precision && (*options.precision < 0 || *options.precision > 6)) {
    throw DefinitionError("datetime(\"" + name + "\"): the precision must be between 0 and 6");
  }
  auto spec = spec_of(detail::ColumnType::datetime, name, "datetime");
  spec.use_tz = options.useTz;
  spec.precision = options.precision;
  return add_column(std::move(spec));
}

ColumnBuilder& TableBuilder::timestamp(const std::string& name, TimestampOptions options) {
  return datetime(name, options);
}

void TableBuilder::timestamps(bool useTimestamps, bool defaultToNow, bool useCamelCase) {
  (void)useTimestamps;  // timestamp and datetime are the same type on PostgreSQL
  auto& created = datetime(useCamelCase ? "createdAt" : "created_at");
  auto& updated = datetime(useCamelCase ? "updatedAt" : "updated_at");
  if (defaultToNow) {
    created.notNullable().defaultTo(Raw{"CURRENT_TIMESTAMP", {}});
    updated.notNullable().defaultTo(Raw{"CURRENT_TIMESTAMP", {}});
  }
}

ColumnBuilder& TableBuilder::time(const std::string& name) {
  return add_column(spec_of(detail::ColumnType::time, name, "time"));
}

ColumnBuilder& TableBuilder::decimal(const std::string& name, std::optional<int> precision,
                                     int scale) {
  if (precision && (*precision < 1 || *precision > 1000)) {
    throw DefinitionError("decimal(\"" + name + "\"): the precision must be between 1 and 1000");
  }
  if (precision && (scale < 0 || scale > *precision)) {
    throw DefinitionError("decimal(\"" + name + "\", " + std::to_string(*precision) + ", " +
                          std::to_string(scale) +
                          "): the scale must be between 0 and the precision");
  }
  auto spec = spec_of(detail::ColumnType::decimal, name, "decimal");
  spec.precision = precision;
  spec.scale = scale;
  return add_column(std::move(spec));
}

ColumnBuilder& TableBuilder::float_(const std::string& name, int precision, int scale) {
  (void)precision;  // knex writes `real` whatever they are
  (void)scale;
  return add_column(spec_of(detail::ColumnType::floating, name, "float"));
}

ColumnBuilder& TableBuilder::double_(const std::string& name, int precision, int scale) {
  (void)precision;  // knex writes `double precision` whatever they are
  (void)scale;
  return add_column(spec_of(detail::ColumnType::double_precision, name, "double"));
}

ColumnBuilder& TableBuilder::json(const std::string& name) {
  return add_column(spec_of(detail::ColumnType::json, name, "json"));
}

ColumnBuilder& TableBuilder::jsonb(const std::string& name) {
  return add_column(spec_of(detail::ColumnType::jsonb, name, "jsonb"));
}

ColumnBuilder& TableBuilder::uuid(const std::string& name, bool primaryKey) {
  auto spec = spec_of(detail::ColumnType::uuid, name, "uuid");
  spec.primary_key = primaryKey;
  return add_column(std::move(spec));
}

ColumnBuilder& TableBuilder::binary(const std::string& name) {
  return add_column(spec_of(detail::ColumnType::binary, name, "binary"));
}

ColumnBuilder& TableBuilder::enu(const std::string& name, std::vector<std::string> values,
                                 EnumOptions options) {
  if (options.useNative && options.enumName.empty()) {
    throw DefinitionError("enu(\"" + name + "\"): a native enum needs enumName");
  }
  if (values.empty() && !(options.useNative && options.existingType)) {
    throw DefinitionError("enu(\"" + name + "\"): at least one value is needed");
  }
  auto spec = spec_of(detail::ColumnType::enumeration, name, "enu");
  spec.enum_values = std::move(values);
  spec.enum_options = std::move(options);
  return add_column(std::move(spec));
}

ColumnBuilder& TableBuilder::specificType(const std::string& name, const std::string& type) {
  if (type.empty()) throw DefinitionError("specificType(\"" + name + "\"): the type is empty");
  auto spec = spec_of(detail::ColumnType::specific, name, "specificType");
  spec.specific_type = type;
  return add_column(std::move(spec));
}

// Table operations ------------------------------------------------------------------------

TableBuilder& TableBuilder::dropColumn(const Columns& names) {
  require_alter("dropColumn");
  if (names.empty()) throw DefinitionError("dropColumn() needs a column name");
  require_columns(names, {}, "dropColumn");
  detail::TableStatement statement;
  statement.kind = detail::TableStatement::Kind::drop_column;
  statement.columns = names.names();
  add_statement(std::move(statement));
  return *this;
}

TableBuilder& TableBuilder::renameColumn(const std::string& from, const std::string& to) {
  require_alter("renameColumn");
  if (from.empty() || to.empty()) throw DefinitionError("renameColumn() needs two column names");
  detail::TableStatement statement;
  statement.kind = detail::TableStatement::Kind::rename_column;
  statement.columns = {from};
  statement.rename_to = to;
  add_statement(std::move(statement));
  return *this;
}

ForeignBuilder TableBuilder::foreign(const Columns& columns, const std::string& keyName) {
  if (columns.empty()) throw DefinitionError("foreign() needs a column");
  require_columns(columns, {}, "foreign");
  detail::TableStatement statement;
  statement.kind = detail::TableStatement::Kind::foreign;
  statement.foreign.columns = columns.names();
  statement.foreign.key_name = keyName;
  return ForeignBuilder(add_statement(std::move(statement)).foreign);
}

namespace {

detail::TableStatement named(detail::TableStatement::Kind kind, const Columns& columns, const std::string& name) {
  detail::TableStatement statement;
  statement.kind = kind;
  statement.columns = columns.names();
  statement.name = name;
  return statement;
}

}  // namespace

TableBuilder& TableBuilder::dropForeign(const Columns& columns, const std::string& name) {
  require_columns(columns, name, "dropForeign");
  add_statement(named(detail::TableStatement::Kind::drop_foreign, columns, name));
  return *this;
}

TableBuilder& TableBuilder::index(const Columns& columns, const std::string& name,
                                  IndexOptions options) {
  if (columns.empty()) throw DefinitionError("index() needs a column");
  require_columns(columns, name, "index");
  auto statement = named(detail::TableStatement::Kind::index, columns, name);
  statement.index_type = std::move(options.indexType);
  statement.storage = std::move(options.storageEngineIndexType);
  statement.predicate = options.predicate.sql();
  if (!statement.index_type.empty() && statement.index_type != "unique") {
    throw DefinitionError("index(): indexType must be \"unique\" or empty");
  }
  // The access method is written into the SQL: only a plain word (btree, hash, gin, ...).
  for (const char c : statement.storage) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
      throw DefinitionError("index(): \"" + statement.storage + "\" is not an index method name");
    }
  }
  add_statement(std::move(statement));
  return *this;
}

TableBuilder& TableBuilder::dropIndex(const Columns& columns, const std::string& name) {
  require_columns(columns, name, "dropIndex");
  add_statement(named(detail::TableStatement::Kind::drop_index, columns, name));
  return *this;
}

TableBuilder& TableBuilder::unique_constraint(const Columns& columns, const std::string& name) {
  if (columns.empty()) throw DefinitionError("unique() needs a column");
  require_columns(columns, name, "unique");
  add_statement(named(detail::TableStatement::Kind::unique, columns, name));
  return *this;
}

TableBuilder& TableBuilder::unique(const Columns& columns, const UniqueOptions& options) {
  const bool has_predicate = !options.predicate.sql().empty();
  const bool constraint = options.useConstraint.value_or(!options.deferrable.empty() || !has_predicate);
  if (options.deferrable != "" && options.deferrable != "deferred" && options.deferrable != "immediate") {
    throw DefinitionError("unique(): deferrable must be \"deferred\" or \"immediate\"");
  }
  // knex's own refusals for PostgreSQL.
  if (!constraint && !options.deferrable.empty()) throw DefinitionError("unique(): postgres cannot create deferrable index");
  if (constraint && has_predicate) throw DefinitionError("unique(): postgres cannot create constraint with predicate");
  if (!constraint) {
    if (columns.empty()) throw DefinitionError("unique() needs a column");
    require_columns(columns, options.indexName, "unique");
    auto statement = named(detail::TableStatement::Kind::index, columns, options.indexName);
    statement.index_type = "unique";
    statement.predicate = options.predicate.sql();
    add_statement(std::move(statement)).unique_index = true;
    return *this;
  }
  unique_constraint(columns, options.indexName);
  statements_.back().deferrable = options.deferrable;
  return *this;
}

TableBuilder& TableBuilder::dropUnique(const Columns& columns, const std::string& name) {
  require_columns(columns, name, "dropUnique");
  add_statement(named(detail::TableStatement::Kind::drop_unique, columns, name));
  return *this;
}

TableBuilder& TableBuilder::primary(const Columns& columns, const std::string& name) {
  if (columns.empty()) throw DefinitionError("primary() needs a column");
  require_columns(columns, name, "primary");
  add_statement(named(detail::TableStatement::Kind::primary, columns, name));
  return *this;
}

TableBuilder& TableBuilder::dropPrimary(const std::string& name) {
  add_statement(named(detail::TableStatement::Kind::drop_primary, {}, name));
  return *this;
}

TableBuilder& TableBuilder::setNullable(const std::string& column) {
  require_alter("setNullable");
  require_name(column, "setNullable");
  add_statement(named(detail::TableStatement::Kind::set_nullable, column, {}));
  return *this;
}

TableBuilder& TableBuilder::dropNullable(const std::string& column) {
  require_alter("dropNullable");
  require_name(column, "dropNullable");
  add_statement(named(detail::TableStatement::Kind::drop_nullable, column, {}));
  return *this;
}

TableBuilder& TableBuilder::dropTimestamps(bool useCamelCase) {
  return dropColumn(useCamelCase ? Columns{"createdAt", "updatedAt"}
                                 : Columns{"created_at", "updated_at"});
}

TableBuilder& TableBuilder::comment(const std::string& text) {
  comment_ = text;
  return *this;
}

TableBuilder& TableBuilder::check(const std::string& predicate, const std::vector<CheckValue>& bindings,
                                  const std::string& constraintName) {
  if (predicate.empty()) throw DefinitionError("check() needs a predicate");
  std::vector<std::string> values;
  std::vector<Param> params;
  for (const auto& binding : bindings) {
    const auto& param = binding.param();
    values.push_back(!param ? std::string("NULL") : binding.bare() ? *param : sql::literal(*param));
    params.push_back(param);
  }
  detail::TableStatement statement;
  statement.kind = detail::TableStatement::Kind::check;
  // knex's `?` and `??`, or PostgreSQL's `$n`; a missing binding fails here.
  statement.check_sql = sql::has_knex_placeholders(predicate) ? sql::inline_knex_values(predicate, params, values, "check")
                                                               : sql::inline_values(predicate, values, "check");
  statement.name = constraintName;
  if (statement.name.empty() && method_ == Method::alter) {
    // knex's intended `<table>_<n>` (knex 3 writes the quoted table name into it, which
    // PostgreSQL rejects).
    const auto dot = name_.rfind('.');
    statement.name = (dot == std::string::npos ? name_ : name_.substr(dot + 1)) + "_" + std::to_string(++unnamed_checks_);
  }
  add_statement(std::move(statement));
  return *this;
}

TableBuilder& TableBuilder::dropChecks(const Columns& names) {
  require_alter("dropChecks");
  for (const auto& name : names.names()) {
    if (name.empty()) throw DefinitionError("dropChecks() got an empty constraint name");
  }
  if (names.empty()) return *this;  // knex: no names, no statement
  detail::TableStatement statement;
  statement.kind = detail::TableStatement::Kind::drop_checks;
  statement.columns = names.names();
  add_statement(std::move(statement));
  return *this;
}

}  // namespace sonamu
