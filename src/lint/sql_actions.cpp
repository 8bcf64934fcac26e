#include "lint/sql_actions.hpp"

#include <nlohmann/json.hpp>
#include <pg_query.h>

#include <algorithm>
#include <memory>

namespace sonamu::lint {

namespace {

using json = nlohmann::json;
using Kind = SqlAction::Kind;

SqlAction on_relation(Kind kind, const json& relation, std::string column = "") {
  SqlAction action;
  action.kind = kind;
  action.schema = relation.value("schemaname", "");
  action.table = relation.value("relname", "");
  action.column = std::move(column);
  return action;
}

/// "UNIQUE", "PRIMARY KEY" or "EXCLUDE" for a constraint that builds its index as it is added
/// (not one that takes an existing index with USING INDEX); nullptr for any other.
const char* index_constraint_kind(const json& constraint) {
  if (!constraint.value("indexname", std::string()).empty()) return nullptr;
  const std::string type = constraint.value("contype", "");
  if (type == "CONSTR_UNIQUE") return "UNIQUE";
  if (type == "CONSTR_PRIMARY") return "PRIMARY KEY";
  if (type == "CONSTR_EXCLUSION") return "EXCLUDE";
  return nullptr;
}

void alter_table(const json& statement, std::vector<SqlAction>& actions) {
  if (statement.value("objtype", "") != "OBJECT_TABLE" || !statement.contains("relation")) return;
  const json& relation = statement["relation"];
  const json commands = statement.value("cmds", json::array());
  for (const auto& item : commands) {
    const json command = item.value("AlterTableCmd", json::object());
    const std::string subtype = command.value("subtype", "");
    const std::string column = command.value("name", "");
    if (subtype == "AT_AddConstraint") {
      const json constraint = command.value("def", json::object()).value("Constraint", json::object());
      const std::string type = constraint.value("contype", "");
      if (const char* kind = index_constraint_kind(constraint)) {
        actions.push_back(on_relation(Kind::add_index_constraint, relation, kind));
        continue;
      }
      if (type != "CONSTR_FOREIGN" && type != "CONSTR_CHECK") continue;
      const bool not_valid = constraint.value("skip_validation", false);
      actions.push_back(on_relation(not_valid ? Kind::add_unvalidated_constraint : Kind::add_validated_constraint,
                                    relation, type == "CONSTR_FOREIGN" ? "FOREIGN KEY" : "CHECK"));
    } else if (subtype == "AT_SetNotNull") {
      actions.push_back(on_relation(Kind::set_not_null, relation, column));
    } else if (subtype == "AT_AlterColumnType") {
      actions.push_back(on_relation(Kind::alter_column_type, relation, column));
    } else if (subtype == "AT_AddColumn") {
      const json definition = command.value("def", json::object()).value("ColumnDef", json::object());
      actions.push_back(on_relation(Kind::add_column, relation, definition.value("colname", "")));
    } else if (subtype == "AT_DropColumn") {
      actions.push_back(on_relation(Kind::drop_column, relation, column));
    } else {
      actions.push_back(on_relation(Kind::other_ddl, relation));
    }
  }
}

void statement_actions(const std::string& type, const json& statement, std::vector<SqlAction>& actions) {
  if (type == "IndexStmt") {
    actions.push_back(on_relation(statement.value("concurrent", false) ? Kind::create_index_concurrently
                                                                       : Kind::create_index,
                                  statement.value("relation", json::object())));
  } else if (type == "AlterTableStmt") {
    alter_table(statement, actions);
  } else if (type == "RenameStmt") {
    if (statement.value("renameType", "") == "OBJECT_COLUMN" && statement.contains("relation")) {
      actions.push_back(on_relation(Kind::rename_column, statement["relation"], statement.value("subname", "")));
    }
  } else if (type == "InsertStmt" || type == "UpdateStmt" || type == "DeleteStmt" || type == "MergeStmt" ||
             type == "CopyStmt") {
    actions.push_back(on_relation(Kind::data_change, statement.value("relation", json::object())));
  }
}

/// Whether `node` names a table of `existing` or (with `calls`) calls a function, anywhere.
bool names_or_calls(const json& node, const std::vector<std::string>& existing, bool calls) {
  if (node.is_array()) {
    for (const auto& item : node) {
      if (names_or_calls(item, existing, calls)) return true;
    }
    return false;
  }
  if (!node.is_object()) return false;
  if (calls && node.contains("FuncCall")) return true;
  const auto relation = node.find("relname");
  if (relation != node.end() && relation->is_string() &&
      std::find(existing.begin(), existing.end(), relation->get<std::string>()) != existing.end()) {
    return true;
  }
  for (const auto& item : node) {
    if (names_or_calls(item, existing, calls)) return true;
  }
  return false;
}

/// Parses `sql`: the statements' JSON tree, or a discarded value when it does not parse.
json parse_tree(const std::string& sql) {
  const std::unique_ptr<PgQueryParseResult, void (*)(PgQueryParseResult*)> result(
      new PgQueryParseResult(pg_query_parse(sql.c_str())), [](PgQueryParseResult* parsed) {
        pg_query_free_parse_result(*parsed);
        delete parsed;
      });
  if (result->error != nullptr || result->parse_tree == nullptr) return json(json::value_t::discarded);
  return json::parse(result->parse_tree, nullptr, false);
}

}  // namespace

bool may_touch(const std::string& sql, const std::vector<std::string>& existing) {
  const json tree = parse_tree(sql);
  if (tree.is_discarded()) return true;
  const json statements = tree.value("stmts", json::array());
  if (statements.empty()) return true;
  for (const auto& entry : statements) {
    const json node = entry.value("stmt", json::object());
    for (const auto& [type, statement] : node.items()) {
      // CREATE TABLE evaluates none of its expressions (defaults, checks) on existing rows.
      const bool creates_table = type == "CreateStmt";
      if (!creates_table && type != "IndexStmt" && type != "CreateSeqStmt" && type != "CommentStmt" &&
          type != "AlterTableStmt") {
        return true;
      }
      if (names_or_calls(statement, existing, !creates_table)) return true;
    }
  }
  return false;
}

std::vector<SqlAction> sql_actions(const std::string& sql) {
  std::vector<SqlAction> actions;
  const json tree = parse_tree(sql);
  if (tree.is_discarded()) return actions;
  const json statements = tree.value("stmts", json::array());
  for (const auto& entry : statements) {
    const json node = entry.value("stmt", json::object());  // one key: the statement's type
    for (const auto& [type, statement] : node.items()) statement_actions(type, statement, actions);
  }
  return actions;
}

}  // namespace sonamu::lint
