#include "pg/catalog_snapshot.hpp"

#include "pg/store.hpp"

#include <pqxx/result>

namespace sonamu::pg {

std::set<std::string> catalog_snapshot(pqxx::transaction_base& tx, const TableLocation& location) {
  const auto& table = location.table;
  const std::vector<std::string> excluded = {
      table, location.lock_table(), location.history_table(), table + "_id_seq",
      location.lock_table() + "_index_seq", location.history_table() + "_id_seq",
      location.sources_table(), location.sources_table() + "_pkey"};
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
      location.schema, text_array_literal(excluded));
  std::set<std::string> lines;
  for (const auto& row : rows) lines.insert(row[0].as<std::string>());
  return lines;
}

}  // namespace sonamu::pg
