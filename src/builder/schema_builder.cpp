#include "builder/sql_text.hpp"
#include "builder/table_compiler.hpp"

#include <sonamu/knex.hpp>

namespace sonamu {

SchemaBuilder SchemaBuilder::withSchema(const std::string& schema) const {
  if (schema.empty()) throw DefinitionError("withSchema() needs a schema name");
  return SchemaBuilder(*knex_, schema);
}

Result SchemaBuilder::run(const Statement& statement) {
  return knex_->execute(statement.sql, statement.bindings);
}

std::vector<Statement> SchemaBuilder::toSQL(TableBuilder::Method method, const std::string& table,
                                            const TableCallback& callback) const {
  TableBuilder builder(method, schema_, table);
  if (callback) callback(builder);
  return schema::compile_table(builder);
}

SchemaBuilder& SchemaBuilder::createTable(const std::string& table, const TableCallback& callback) {
  // Compiled in full before the first statement runs: a mistake anywhere in the callback
  // sends nothing.
  for (const auto& statement : toSQL(TableBuilder::Method::create, table, callback)) run(statement);
  return *this;
}

SchemaBuilder& SchemaBuilder::createTableIfNotExists(const std::string& table,
                                                     const TableCallback& callback) {
  for (const auto& statement : toSQL(TableBuilder::Method::create_if_not_exists, table, callback)) {
    run(statement);
  }
  return *this;
}

SchemaBuilder& SchemaBuilder::alterTable(const std::string& table, const TableCallback& callback) {
  for (const auto& statement : toSQL(TableBuilder::Method::alter, table, callback)) run(statement);
  return *this;
}

SchemaBuilder& SchemaBuilder::dropTable(const std::string& table) {
  run({"DROP TABLE " + schema::qualified_table(schema_, table), {}});
  return *this;
}

SchemaBuilder& SchemaBuilder::dropTableIfExists(const std::string& table) {
  run({"DROP TABLE IF EXISTS " + schema::qualified_table(schema_, table), {}});
  return *this;
}

SchemaBuilder& SchemaBuilder::renameTable(const std::string& from, const std::string& to) {
  run({"ALTER TABLE " + schema::qualified_table(schema_, from) + " RENAME TO " +
           sql::wrap(to, "table name"),
       {}});
  return *this;
}

bool SchemaBuilder::hasTable(const std::string& table) {
  if (table.empty()) throw DefinitionError("hasTable() needs a table name");
  Statement statement{"SELECT * FROM information_schema.tables WHERE table_name = $1", {table}};
  if (schema_.empty()) {
    statement.sql += " AND table_schema = current_schema()";
  } else {
    statement.sql += " AND table_schema = $2";
    statement.bindings.push_back(schema_);
  }
  return !run(statement).empty();
}

bool SchemaBuilder::hasColumn(const std::string& table, const std::string& column) {
  if (table.empty() || column.empty()) throw DefinitionError("hasColumn() needs a table and a column");
  Statement statement{
      "SELECT * FROM information_schema.columns WHERE table_name = $1 AND column_name = $2",
      {table, column}};
  if (schema_.empty()) {
    statement.sql += " AND table_schema = current_schema()";
  } else {
    statement.sql += " AND table_schema = $3";
    statement.bindings.push_back(schema_);
  }
  return !run(statement).empty();
}

Raw KnexFunctions::now(std::optional<int> precision) const {
  if (precision && (*precision < 0 || *precision > 6)) {
    throw DefinitionError("fn.now(): the precision must be between 0 and 6");
  }
  return Raw{precision ? "CURRENT_TIMESTAMP(" + std::to_string(*precision) + ")" : "CURRENT_TIMESTAMP", {}};
}

Raw Knex::ref(const std::string& identifier) { return Raw{sql::wrap(identifier, "reference"), {}}; }

}  // namespace sonamu
