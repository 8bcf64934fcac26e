#include "pg/catalog_snapshot.hpp"

#include <pqxx/result>

namespace sonamu::pg {

std::set<std::string> catalog_snapshot(pqxx::transaction_base& tx, const Store& store) {
  const auto& table = store.location().table;
  const std::vector<std::string> excluded = {
      table, store.lock_table(), store.history_table(), table + "_id_seq",
      store.lock_table() + "_index_seq", store.history_table() + "_id_seq"};
  // One round trip. `visible` keeps user relations, minus the bookkeeping ones.
  const auto rows = tx.exec_params(R"(
    WITH visible AS (
      SELECT c.oid, c.relname, c.relkind, n.nspname
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
        AND NOT (n.nspname = $1 AND c.relname = ANY ($2::text[])))
    SELECT 'relation ' || quote_ident(nspname) || '.' || quote_ident(relname) || ' (' ||
           CASE relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table' WHEN 'v' THEN 'view'
                        WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence'
                        WHEN 'f' THEN 'foreign table' ELSE relkind::text END || ')'
    FROM visible WHERE relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    UNION ALL
    SELECT 'column ' || quote_ident(v.nspname) || '.' || quote_ident(v.relname) || '.' ||
           quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod) ||
           CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE ' NULL' END ||
           COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') ||
           COALESCE(' COMMENT ' || quote_literal(col_description(v.oid, a.attnum)), '')
    FROM visible v JOIN pg_catalog.pg_attribute a ON a.attrelid = v.oid
    LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE v.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT 'constraint ' || quote_ident(v.nspname) || '.' || quote_ident(v.relname) || ' ' ||
           quote_ident(con.conname) || ': ' || pg_get_constraintdef(con.oid)
    FROM visible v JOIN pg_catalog.pg_constraint con ON con.conrelid = v.oid
    UNION ALL
    SELECT 'index ' || pg_get_indexdef(i.indexrelid)
    FROM visible v JOIN pg_catalog.pg_index i ON i.indrelid = v.oid
    UNION ALL
    SELECT 'table comment ' || quote_ident(v.nspname) || '.' || quote_ident(v.relname) || ' ' ||
           quote_literal(obj_description(v.oid, 'pg_class'))
    FROM visible v WHERE obj_description(v.oid, 'pg_class') IS NOT NULL
    UNION ALL
    SELECT 'type ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname) || ' enum (' ||
           string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) || ')'
    FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
    JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
    GROUP BY n.nspname, t.typname)",
      store.location().schema, text_array_literal(excluded));
  std::set<std::string> lines;
  for (const auto& row : rows) lines.insert(row[0].as<std::string>());
  return lines;
}

std::vector<DataAtRisk> count_at_risk(pqxx::transaction_base& tx, const std::vector<Drop>& drops) {
  if (drops.empty()) return {};
  // Round trips do not grow with the number of drops: one query keeps the tables and columns
  // that exist and hold any data at all (an empty table has no pages), one counts them.
  std::vector<std::string> tables;
  std::vector<std::string> columns;
  for (const auto& drop : drops) {
    tables.push_back(drop.table);
    columns.push_back(drop.column_name);
  }
  const auto candidates = tx.exec_params(
      "SELECT d.position FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS d(tab, col, position)"
      " WHERE to_regclass(d.tab) IS NOT NULL"
      " AND (pg_relation_size(to_regclass(d.tab)) > 0"  // a partitioned table keeps no pages itself
      "   OR (SELECT relkind FROM pg_catalog.pg_class WHERE oid = to_regclass(d.tab)) = 'p')"
      " AND (d.col = '' OR EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a"
      "   WHERE a.attrelid = to_regclass(d.tab) AND a.attname = d.col AND a.attnum > 0"
      "   AND NOT a.attisdropped))"
      " ORDER BY d.position",
      text_array_literal(tables), text_array_literal(columns));
  if (candidates.empty()) return {};
  std::vector<const Drop*> counted;
  std::string sql;
  for (const auto& row : candidates) {
    const Drop& drop = drops[row[0].as<std::size_t>() - 1];
    if (!sql.empty()) sql += " UNION ALL ";
    // Identifiers come quoted from the statements the down functions would send.
    sql += "SELECT " + std::to_string(counted.size()) + ", " +
           (drop.column ? "count(" + *drop.column + ")" : std::string("count(*)")) + " FROM " + drop.table;
    counted.push_back(&drop);
  }
  std::vector<DataAtRisk> risks;
  for (const auto& row : tx.exec(sql + " ORDER BY 1")) {
    const Drop& drop = *counted[row[0].as<std::size_t>()];
    const long long count = row[1].as<long long>();
    if (count > 0) risks.push_back({drop.display, drop.column.has_value(), count});
  }
  return risks;
}

}  // namespace sonamu::pg
