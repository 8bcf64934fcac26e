#include "builder/table_compiler.hpp"

#include "builder/column_compiler.hpp"
#include "builder/sql_text.hpp"

#include <sonamu/builder/definition_error.hpp>

namespace sonamu::schema {

namespace {

using Kind = detail::TableStatement::Kind;

/// Column lists in DDL: each name is one identifier (a dot inside is part of the name).
std::string column_list(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) {
    if (!text.empty()) text += ", ";
    text += sql::quote(name, "column name");
  }
  return text;
}

/// The name given, quoted, or the one knex generates.
std::string name_or(const detail::TableStatement& statement, const std::string& table_raw,
                    const char* type) {
  return statement.name.empty() ? sql::index_name(table_raw, statement.columns, type)
                                : sql::quote(statement.name, "index name");
}

/// The table part of a name written "schema.table".
std::string own_name(const std::string& table_raw) {
  const auto dot = table_raw.rfind('.');
  return dot == std::string::npos ? table_raw : table_raw.substr(dot + 1);
}

/// The CHECK of knex's table.check() inside CREATE TABLE: `CONSTRAINT name CHECK (...)`, or
/// bare without a name (PostgreSQL names it).
std::string check_clause(const detail::TableStatement& statement) {
  return (statement.name.empty() ? "" : "CONSTRAINT " + sql::constraint_name(statement.name) + " ") + "CHECK (" +
         statement.check_sql + ")";
}

/// knex's `<table>_pkey`, for the table part of the name.
std::string primary_name(const detail::TableStatement& statement, const std::string& table_raw) {
  if (!statement.name.empty()) return sql::quote(statement.name, "constraint name");
  const auto dot = table_raw.rfind('.');
  return sql::quote((dot == std::string::npos ? table_raw : table_raw.substr(dot + 1)) + "_pkey",
                    "constraint name");
}

std::string foreign_sql(const detail::ForeignKey& key, const std::string& table_sql,
                        const std::string& table_raw) {
  if (key.references.empty()) {
    throw DefinitionError("foreign key on (" + column_list(key.columns) + ") of " + table_sql +
                          ": references() needs a column");
  }
  if (key.in_table.empty()) {
    throw DefinitionError("foreign key on (" + column_list(key.columns) + ") of " + table_sql +
                          ": no referenced table; write references(\"table.column\") or inTable()");
  }
  const auto name = key.key_name.empty() ? sql::index_name(table_raw, key.columns, "foreign")
                                         : sql::quote(key.key_name, "constraint name");
  std::string sql = "ALTER TABLE " + table_sql + " ADD CONSTRAINT " + name + " FOREIGN KEY (" +
                    column_list(key.columns) + ") REFERENCES " + sql::wrap(key.in_table, "table name") +
                    " (" + column_list(key.references) + ")";
  if (!key.on_update.empty()) sql += " ON UPDATE " + key.on_update;
  if (!key.on_delete.empty()) sql += " ON DELETE " + key.on_delete;
  // knex ends this clause with a space; kept, so the statement is byte for byte knex's.
  if (!key.deferrable.empty()) sql += " DEFERRABLE INITIALLY " + key.deferrable + " ";
  return sql;
}

/// One of the "alterTable" statements; empty for a primary key already inside CREATE TABLE.
std::string statement_sql(const TableBuilder& table, const detail::TableStatement& statement,
                          const std::string& table_sql) {
  const auto& raw = table.name();
  const auto alter = "ALTER TABLE " + table_sql + " ";
  switch (statement.kind) {
    case Kind::foreign: return foreign_sql(statement.foreign, table_sql, raw);
    case Kind::index:
      return std::string("CREATE ") + (statement.index_type == "unique" ? "UNIQUE " : "") + "INDEX " +
             name_or(statement, raw, statement.unique_index ? "unique" : "index") + " ON " + table_sql +
             (statement.storage.empty() ? "" : " USING " + statement.storage) + " (" +
             column_list(statement.columns) + ")" +
             (statement.predicate.empty() ? "" : " WHERE " + statement.predicate);
    case Kind::unique:
      return alter + "ADD CONSTRAINT " + name_or(statement, raw, "unique") + " UNIQUE (" +
             column_list(statement.columns) + ")" +
             (statement.deferrable.empty() ? "" : " DEFERRABLE INITIALLY " + statement.deferrable);
    case Kind::primary:
      if (table.method() != TableBuilder::Method::alter) return {};
      return alter + "ADD CONSTRAINT " + primary_name(statement, raw) + " PRIMARY KEY (" +
             column_list(statement.columns) + ")";
    case Kind::drop_primary: return alter + "DROP CONSTRAINT " + primary_name(statement, raw);
    case Kind::drop_index:
      return "DROP INDEX " + (table.schema().empty() ? "" : sql::quote(table.schema(), "schema name") + ".") +
             name_or(statement, raw, "index");
    case Kind::drop_unique: return alter + "DROP CONSTRAINT " + name_or(statement, raw, "unique");
    case Kind::drop_foreign: return alter + "DROP CONSTRAINT " + name_or(statement, raw, "foreign");
    case Kind::drop_column: {
      std::string drops;
      for (const auto& column : statement.columns) {
        drops += (drops.empty() ? "DROP COLUMN " : ", DROP COLUMN ") + sql::quote(column, "column name");
      }
      return alter + drops;
    }
    case Kind::rename_column:
      return alter + "RENAME " + sql::quote(statement.columns.front(), "column name") + " TO " +
             sql::quote(statement.rename_to, "column name");
    case Kind::set_nullable:
      return alter + "ALTER COLUMN " + sql::quote(statement.columns.front(), "column name") +
             " DROP NOT NULL";
    case Kind::drop_nullable:
      return alter + "ALTER COLUMN " + sql::quote(statement.columns.front(), "column name") +
             " SET NOT NULL";
    case Kind::check:
      // In createTable the check is part of CREATE TABLE.
      if (table.method() != TableBuilder::Method::alter) return {};
      // knex writes no space before the parenthesis here; kept, so the text is knex's.
      return alter + "ADD CONSTRAINT " + sql::constraint_name(statement.name) + " CHECK(" + statement.check_sql + ")";
    case Kind::drop_checks: {
      std::string drops;
      for (const auto& name : statement.columns) {
        drops += (drops.empty() ? "DROP CONSTRAINT " : ", DROP CONSTRAINT ") + sql::constraint_name(name);
      }
      return drops.empty() ? std::string() : alter + drops;
    }
  }
  throw DefinitionError("unknown table statement");
}

std::string table_comment_sql(const std::string& table_sql, const std::string& comment) {
  // knex writes the text unescaped here; a quote in it would break the statement.
  return "COMMENT ON TABLE " + table_sql + " IS " + sql::literal(comment);
}

const detail::TableStatement* first_primary(const TableBuilder& table) {
  for (const auto& statement : table.statements()) {
    if (statement.kind == Kind::primary) return &statement;
  }
  return nullptr;
}

/// CREATE TABLE with its columns, its primary key and its checks.
std::string create_table_sql(const TableBuilder& table, const std::string& table_sql,
                             const detail::TableStatement* primary, const std::vector<std::string>& added) {
  std::string sql = table.method() == TableBuilder::Method::create_if_not_exists ? "CREATE TABLE IF NOT EXISTS "
                                                                                  : "CREATE TABLE ";
  sql += table_sql + " (";
  for (std::size_t i = 0; i < added.size(); ++i) sql += (i > 0 ? ", " : "") + added[i];
  if (primary != nullptr) {
    sql += ", CONSTRAINT " + primary_name(*primary, table.name()) + " PRIMARY KEY (" + column_list(primary->columns) +
           ")";
  }
  for (const auto& statement : table.statements()) {
    if (statement.kind == Kind::check) sql += ", " + check_clause(statement);
  }
  return sql + ")";
}

/// ALTER TABLE ... ADD COLUMN of the added columns in one statement, then each altered column.
void alter_columns(const std::string& table_sql, const std::vector<std::string>& added,
                   const std::vector<const detail::ColumnSpec*>& altered, const ColumnContext& context,
                   std::vector<std::string>& create_types, std::vector<std::string>& sequence) {
  if (!added.empty()) {
    std::string sql = "ALTER TABLE " + table_sql + " ";
    for (std::size_t i = 0; i < added.size(); ++i) sql += (i > 0 ? ", ADD COLUMN " : "ADD COLUMN ") + added[i];
    sequence.push_back(sql);
  }
  for (const auto* spec : altered) {
    for (auto& sql : alter_column(*spec, context, create_types)) sequence.push_back(std::move(sql));
  }
}

}  // namespace

std::string qualified_table(const std::string& schema, const std::string& table) {
  return (schema.empty() ? "" : sql::quote(schema, "schema name") + ".") + sql::wrap(table, "table name");
}

std::vector<Statement> compile_table(const TableBuilder& table) {
  const auto table_sql = qualified_table(table.schema(), table.name());
  const detail::TableStatement* primary = first_primary(table);
  const ColumnContext context{table_sql, table.schema(), primary != nullptr, own_name(table.name())};

  std::vector<std::string> create_types;
  std::vector<std::string> sequence;
  std::vector<std::string> added;
  std::vector<const detail::ColumnSpec*> altered;
  for (const auto& column : table.columns()) {
    if (column.spec().alter) {
      altered.push_back(&column.spec());
    } else {
      added.push_back(column_definition(column.spec(), context, create_types));
    }
  }

  if (table.method() == TableBuilder::Method::alter) {
    alter_columns(table_sql, added, altered, context, create_types, sequence);
  } else {
    sequence.push_back(create_table_sql(table, table_sql, primary, added));
    if (table.table_comment()) sequence.push_back(table_comment_sql(table_sql, *table.table_comment()));
  }

  // Column comments: added columns first, then altered ones, as knex.
  for (const auto& column : table.columns()) {
    if (column.spec().alter) continue;
    for (auto& sql : column_comment(column.spec(), context)) sequence.push_back(std::move(sql));
  }
  // An altered column's checks follow its comment, as knex adds both after the column statements.
  for (const auto* spec : altered) {
    for (auto& sql : column_comment(*spec, context)) sequence.push_back(std::move(sql));
    for (auto& sql : alter_column_checks(*spec, context)) sequence.push_back(std::move(sql));
  }
  for (const auto& statement : table.statements()) {
    auto sql = statement_sql(table, statement, table_sql);
    if (!sql.empty()) sequence.push_back(std::move(sql));
  }
  if (table.method() == TableBuilder::Method::alter && table.table_comment()) {
    sequence.push_back(table_comment_sql(table_sql, *table.table_comment()));
  }

  // knex puts each CREATE TYPE in front of what is there, so the last enum's type comes first.
  std::vector<Statement> statements;
  for (auto it = create_types.rbegin(); it != create_types.rend(); ++it) statements.push_back({*it, {}});
  for (auto& sql : sequence) statements.push_back({std::move(sql), {}});
  return statements;
}

}  // namespace sonamu::schema
