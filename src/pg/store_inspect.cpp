// What the bookkeeping tables look like in the database: which exist, whether they are
// tables, and whether their columns are knex's (or this tool's own), each problem said in a
// sentence that names the table and what to do.
#include "pg/store.hpp"

#include "core/text.hpp"
#include "pg/sources_layout.hpp"

#include <pqxx/result>

#include <algorithm>
#include <map>

namespace sonamu::pg {

namespace {

/// One bookkeeping table found: its relation kind and its columns (name, type).
struct FoundRelation {
  std::string kind;
  std::vector<std::pair<std::string, std::string>> columns;
};

/// What a relation of kind `relkind` is, for a message.
std::string kind_name(const std::string& relkind) {
  if (relkind == "v") return "a view";
  if (relkind == "m") return "a materialized view";
  if (relkind == "f") return "a foreign table";
  if (relkind == "S") return "a sequence";
  if (relkind == "i" || relkind == "I") return "an index";
  if (relkind == "c") return "a composite type";
  return "not a table";
}

/// The type families the bookkeeping columns may have (knex's own DDL, or a compatible one).
bool type_fits(const std::string& column, const std::string& type, bool history) {
  const bool integer = type == "integer" || type == "bigint" || type == "smallint";
  const bool text = type == "text" || type.rfind("character varying", 0) == 0;
  const bool time = type.rfind("timestamp", 0) == 0;
  if (column == "id" || column == "batch" || column == "index" || column == "is_locked" ||
      column == "duration_ms") {
    return integer;
  }
  if (column == "migration_time" || column == "started_at" || column == "finished_at") return time;
  if (column == "success") return type == "boolean";
  if (column == "name" || (history && (column == "action" || column == "error" || column == "db_user" ||
                                       column == "client_host" || column == "tool_version"))) {
    return text;
  }
  return true;
}

/// The kind and columns of the relations with the oids of `table_of` (oid -> bookkeeping
/// table name), by table name, from two single-catalog scans by oid: no join, whose
/// planning in a just-started backend costs more than a fleet target's first batch.
std::map<std::string, FoundRelation> read_relations(pqxx::transaction_base& tx,
                                                    const std::map<unsigned, std::string>& table_of) {
  std::vector<std::string> oids;
  for (const auto& entry : table_of) oids.push_back(std::to_string(entry.first));
  const auto rows = tx.exec_params(
      "SELECT c.oid, c.relkind::text, NULL::name, NULL::text, 0::int2 FROM pg_catalog.pg_class c"
      " WHERE c.oid = ANY($1::oid[])"
      " UNION ALL SELECT a.attrelid, NULL, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnum"
      " FROM pg_catalog.pg_attribute a WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped"
      " ORDER BY 1, 5",
      "{" + join(oids, ",") + "}");
  std::map<std::string, FoundRelation> relations;
  for (const auto& row : rows) {
    const auto table = table_of.find(row[0].as<unsigned>());
    if (table == table_of.end()) continue;
    if (row[2].is_null()) {
      relations[table->second].kind = row[1].as<std::string>();
    } else if (const auto relation = relations.find(table->second); relation != relations.end()) {
      relation->second.columns.emplace_back(row[2].as<std::string>(), row[3].as<std::string>());
    }
  }
  return relations;
}

/// The history table must have exactly this tool's columns: another tool's table of the
/// same name would otherwise be written into.
void check_history_layout(TablesState& state, const TableLocation& location, std::vector<std::string> columns) {
  std::vector<std::string> expected = {"id", "action", "name", "batch", "started_at", "finished_at",
                                       "duration_ms", "success", "error", "db_user", "client_host",
                                       "tool_version"};
  std::sort(expected.begin(), expected.end());
  std::sort(columns.begin(), columns.end());
  if (columns == expected) return;
  state.problems.push_back("The table " + location.schema + "." + location.history_table() +
                           " is not this tool's history table (another layout); rename it, or choose "
                           "another --table");
}

/// Fills `state` from one bookkeeping table found; the history table's columns go to
/// `history_columns`.
void judge_relation(TablesState& state, const TableLocation& location, const std::string& table,
                    const FoundRelation& relation, std::vector<std::string>& history_columns) {
  const std::string shown = location.schema + "." + table;
  if (relation.kind != "r" && relation.kind != "p") {
    state.problems.push_back("The relation " + shown + " is " + kind_name(relation.kind) + ", not a bookkeeping table");
    return;
  }
  const bool history = table == location.history_table();
  for (const auto& [column, type] : relation.columns) {
    if (!type_fits(column, type, history)) {
      state.problems.push_back("The column " + column + " of " + shown + " is of type " + type +
                               ", which the bookkeeping cannot use");
    }
  }
  if (history) {
    state.history_table_exists = true;
    for (const auto& column : relation.columns) history_columns.push_back(column.first);
    return;
  }
  if (table == location.sources_table()) {
    state.sources_table_exists = true;
    const std::string problem = sources_layout_problem(shown, relation.columns);
    if (!problem.empty()) state.problems.push_back(problem);
    return;
  }
  const bool migrations = table == location.table;
  (migrations ? state.migrations_table_exists : state.lock_table_exists) = true;
  for (const auto& column : relation.columns) {
    (migrations ? state.migrations_columns : state.lock_columns).push_back(column.first);
  }
}

}  // namespace

TablesState Store::inspect(pqxx::transaction_base& tx) const {
  // Name lookups first, joins never: a missing schema or table is NULL here, and a database
  // without the tables (every target of a new fleet) needs no second query.
  const std::vector<std::string> tables = {location_.table, location_.lock_table(), location_.history_table(),
                                           location_.sources_table()};
  const auto found = tx.exec_params(
      "SELECT to_regnamespace($1) IS NOT NULL, to_regclass($2)::oid, to_regclass($3)::oid,"
      " to_regclass($4)::oid, to_regclass($5)::oid",
      cx_.quote_name(location_.schema), migrations_sql_, lock_sql_, history_sql_, sources_sql_)[0];
  TablesState state;
  state.schema_exists = found[0].as<bool>();
  std::map<unsigned, std::string> table_of;  // oid -> bookkeeping table name
  for (std::size_t i = 0; i < tables.size(); ++i) {
    const auto oid = found[static_cast<int>(i + 1)];
    if (!oid.is_null()) table_of.emplace(oid.as<unsigned>(), tables[i]);
  }
  if (table_of.empty()) return state;
  std::vector<std::string> history_columns;
  for (const auto& [table, relation] : read_relations(tx, table_of)) {
    judge_relation(state, location_, table, relation, history_columns);
  }
  if (state.history_table_exists) check_history_layout(state, location_, std::move(history_columns));
  return state;
}

}  // namespace sonamu::pg
