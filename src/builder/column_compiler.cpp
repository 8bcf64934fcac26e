#include "builder/column_compiler.hpp"

#include "builder/sql_text.hpp"

#include <sonamu/builder/definition_error.hpp>

namespace sonamu::schema {

namespace {

bool is_increments(const detail::ColumnSpec& spec) {
  return spec.type == detail::ColumnType::increments || spec.type == detail::ColumnType::big_increments;
}

std::string primary_key_suffix(const detail::ColumnSpec& spec, const ColumnContext& context) {
  return spec.primary_key && !context.table_has_primary ? " PRIMARY KEY" : "";
}

std::string enum_type(const detail::ColumnSpec& spec, const ColumnContext& context,
                      std::vector<std::string>& create_types) {
  std::string values;
  for (const auto& value : spec.enum_values) {
    if (!values.empty()) values += ", ";
    values += sql::literal(value);
  }
  const auto& options = spec.enum_options;
  if (!options.useNative) {
    return "text CHECK (" + sql::quote(spec.name, "column name") + " IN (" + values + "))";
  }
  const auto& schema = options.schemaName.empty() ? context.schema : options.schemaName;
  const auto name = (schema.empty() ? "" : sql::quote(schema, "schema name") + ".") +
                    sql::quote(options.enumName, "enum name");
  if (!options.existingType) create_types.push_back("CREATE TYPE " + name + " AS ENUM (" + values + ")");
  return name;
}

}  // namespace

std::string column_type(const detail::ColumnSpec& spec, const ColumnContext& context,
                        std::vector<std::string>& create_types) {
  switch (spec.type) {
    case detail::ColumnType::increments: return "serial" + primary_key_suffix(spec, context);
    case detail::ColumnType::big_increments: return "bigserial" + primary_key_suffix(spec, context);
    case detail::ColumnType::integer: return "integer";
    case detail::ColumnType::big_integer: return "bigint";
    case detail::ColumnType::smallint:
    case detail::ColumnType::tinyint: return "smallint";
    case detail::ColumnType::string: return "varchar(" + std::to_string(spec.length) + ")";
    case detail::ColumnType::text: return "text";
    case detail::ColumnType::boolean: return "boolean";
    case detail::ColumnType::date: return "date";
    case detail::ColumnType::datetime:
      return std::string(spec.use_tz ? "timestamptz" : "timestamp") +
             (spec.precision ? "(" + std::to_string(*spec.precision) + ")" : "");
    case detail::ColumnType::time: return "time";
    case detail::ColumnType::decimal:
      return spec.precision ? "decimal(" + std::to_string(*spec.precision) + ", " +
                                  std::to_string(spec.scale) + ")"
                            : "decimal";
    case detail::ColumnType::floating: return "real";
    case detail::ColumnType::double_precision: return "double precision";
    case detail::ColumnType::json: return "json";
    case detail::ColumnType::jsonb: return "jsonb";
    case detail::ColumnType::uuid: return "uuid" + primary_key_suffix(spec, context);
    case detail::ColumnType::binary: return "bytea";
    case detail::ColumnType::enumeration: return enum_type(spec, context, create_types);
    case detail::ColumnType::specific: return spec.specific_type;
  }
  throw DefinitionError("unknown column type");
}

std::string default_sql(const detail::ColumnSpec& spec) {
  const auto& value = *spec.default_value;
  if (value.is_raw()) return sql::inline_raw(value.expression());
  if (value.is_null()) return "NULL";
  const auto& text = *value.param();
  if (spec.type == detail::ColumnType::boolean) {
    // knex writes boolean defaults as '1' or '0'.
    return text == "false" || text == "0" || text.empty() ? "'0'" : "'1'";
  }
  return sql::literal(text);
}

std::string column_definition(const detail::ColumnSpec& spec, const ColumnContext& context,
                              std::vector<std::string>& create_types) {
  std::string sql = sql::quote(spec.name, "column name") + " " + column_type(spec, context, create_types);
  // knex ignores nullability and defaults on increments.
  if (is_increments(spec)) return sql;
  if (spec.nullable) sql += *spec.nullable ? " NULL" : " NOT NULL";
  if (spec.default_value) sql += " DEFAULT " + default_sql(spec);
  for (const auto& check : spec.checks) {
    sql += (check.name.empty() ? " " : " CONSTRAINT " + sql::constraint_name(check.name) + " ") + "CHECK (" +
           check.condition + ")";
  }
  return sql;
}

std::vector<std::string> alter_column(const detail::ColumnSpec& spec, const ColumnContext& context,
                                      std::vector<std::string>& create_types) {
  if (spec.type == detail::ColumnType::enumeration && !spec.enum_options.useNative && spec.alter_type) {
    // knex writes an invalid `TYPE text CHECK (...)` here; refuse instead of failing in the database.
    throw DefinitionError("alter() of enum column \"" + spec.name +
                          "\": only a native enum (useNative) can be altered");
  }
  const auto prefix = "ALTER TABLE " + context.table_sql + " ALTER COLUMN " +
                      sql::quote(spec.name, "column name") + " ";
  const auto column = sql::quote(spec.name, "column name");
  std::vector<std::string> statements{prefix + "DROP DEFAULT"};
  if (spec.alter_nullable) statements.push_back(prefix + "DROP NOT NULL");
  if (spec.alter_type) {
    const auto type = column_type(spec, context, create_types);
    const bool is_enum = spec.type == detail::ColumnType::enumeration;
    statements.push_back(prefix + "TYPE " + type + " USING (" + column + (is_enum ? "::text::" : "::") +
                         type + ")");
  }
  if (spec.default_value) statements.push_back(prefix + "SET DEFAULT " + default_sql(spec));
  if (spec.alter_nullable && spec.nullable == false) statements.push_back(prefix + "SET NOT NULL");
  return statements;
}

std::vector<std::string> alter_column_checks(const detail::ColumnSpec& spec, const ColumnContext& context) {
  std::vector<std::string> statements;
  int count = 0;
  for (const auto& check : spec.checks) {
    // knex numbers the unnamed checks of each column: <table>_<column>_1, _2, ...
    const auto name = check.name.empty()
                          ? context.table_raw + "_" + spec.name + "_" + std::to_string(++count)
                          : check.name;
    statements.push_back("ALTER TABLE " + context.table_sql + " ADD CONSTRAINT " + sql::constraint_name(name) +
                         " CHECK(" + check.condition + ")");  // knex's spacing
  }
  return statements;
}

std::vector<std::string> column_comment(const detail::ColumnSpec& spec, const ColumnContext& context) {
  if (!spec.comment) return {};
  return {"COMMENT ON COLUMN " + context.table_sql + "." + sql::quote(spec.name, "column name") +
          " IS " + (spec.comment->empty() ? std::string("NULL") : sql::literal(*spec.comment))};
}

}  // namespace sonamu::schema
