#include "pg/catalog_snapshot.hpp"

#include "pg/store.hpp"

#include <pqxx/result>

namespace sonamu::pg {

namespace {

/// The modes a statement that changes a relation's definition takes, at the least (COMMENT,
/// VALIDATE CONSTRAINT and ALTER INDEX RENAME take SHARE UPDATE EXCLUSIVE; CREATE INDEX takes
/// SHARE, and its index is an object of its own). Each conflicts with every such statement of
/// another session: a relation held so has not been changed by anyone else meanwhile.
constexpr const char* definition_modes =
    "{ShareUpdateExclusiveLock,ShareLock,ShareRowExclusiveLock,ExclusiveLock,AccessExclusiveLock}";

/// Objects of `$1` that this transaction holds in a mode of `$2` (relations) or at all
/// (types), and the types whose catalog row it wrote (CREATE TYPE takes no lock). age() of a
/// row's xmin is 0 when the row is our own transaction's, negative when a newer transaction's
/// (one of our subtransactions, or another session's committed since we began), exact across
/// wraparound. `%s`: how a newer row is told apart, see the callers.
constexpr const char* changed_here_query = R"(
    SELECT o FROM unnest($1::text[]) AS o
    WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_locks l
                  WHERE l.pid = pg_backend_pid() AND l.granted
                    AND ((l.locktype = 'relation' AND o = 'relation ' || l.relation
                          AND l.mode = ANY ($2::text[]))
                      OR (l.locktype = 'object' AND l.classid = 'pg_catalog.pg_type'::regclass
                          AND o = 'type ' || l.objid)))
       OR o IN (SELECT 'type ' || t.oid FROM pg_catalog.pg_type t
                WHERE CASE WHEN 'type ' || t.oid <> ALL ($1::text[]) THEN false
                           WHEN age(t.xmin) = 0 THEN true
                           WHEN age(t.xmin) < 0 THEN %s
                           ELSE false END))";

/// A newer row is ours when its transaction is in progress: no other session's uncommitted
/// row is visible to us. txid_status() refuses an id it takes for one of the future (the raw
/// xmin of a row frozen more than 2^31 transactions ago looks newer than ours).
constexpr const char* newer_is_ours_if_in_progress = "txid_status(txid_current() - age(t.xmin)) = 'in progress'";

std::set<std::string> objects_changed_here(pqxx::transaction_base& tx, const std::set<std::string>& objects,
                                           const std::string& newer_rows) {
  std::string query = changed_here_query;
  query.replace(query.find("%s"), 2, newer_rows);
  std::set<std::string> ours;
  for (const auto& row : tx.exec_params(query, text_array_literal({objects.begin(), objects.end()}),
                                        definition_modes)) {
    ours.insert(row[0].as<std::string>());
  }
  return ours;
}

}  // namespace

/// One read of catalog_snapshot.
// The catalog as lines, in one round trip. `visible` keeps user relations, minus the
// bookkeeping ones ($1: their schema, $2: their names; $3: one schema only, or '' for all).
// The pg_get_* and *_description functions read the newest catalog, not this statement's
// snapshot: of an object another session dropped meanwhile they return NULL, and the line is
// left out (nothing of this transaction's can vanish while it reads). pg_get_indexdef and
// pg_get_expr take ACCESS SHARE on the table: one schema keeps a tenant's read off its
// neighbours.
static const char* const catalog_lines_sql = R"(
    WITH visible AS (
      SELECT c.oid, c.relname, c.relkind, n.nspname
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
        AND NOT (n.nspname = $1 AND c.relname = ANY ($2::text[]))
        AND ($3::text = '' OR n.nspname = $3::text)),
    lines (line, object) AS (
    SELECT 'relation ' || quote_ident(nspname) || '.' || quote_ident(relname) || ' (' ||
           CASE relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table' WHEN 'v' THEN 'view'
                        WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence'
                        WHEN 'f' THEN 'foreign table' ELSE relkind::text END || ')', 'relation ' || oid
    FROM visible WHERE relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    UNION ALL
    SELECT 'column ' || quote_ident(v.nspname) || '.' || quote_ident(v.relname) || '.' ||
           quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod) ||
           CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE ' NULL' END ||
           COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') ||
           COALESCE(' COMMENT ' || quote_literal(col_description(v.oid, a.attnum)), ''), 'relation ' || v.oid
    FROM visible v JOIN pg_catalog.pg_attribute a ON a.attrelid = v.oid
    LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE v.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT 'constraint ' || quote_ident(v.nspname) || '.' || quote_ident(v.relname) || ' ' ||
           quote_ident(con.conname) || ': ' || pg_get_constraintdef(con.oid), 'relation ' || v.oid
    FROM visible v JOIN pg_catalog.pg_constraint con ON con.conrelid = v.oid
    UNION ALL
    SELECT 'index ' || pg_get_indexdef(i.indexrelid), 'relation ' || i.indexrelid
    FROM visible v JOIN pg_catalog.pg_index i ON i.indrelid = v.oid
    UNION ALL
    SELECT 'table comment ' || quote_ident(v.nspname) || '.' || quote_ident(v.relname) || ' ' ||
           quote_literal(obj_description(v.oid, 'pg_class')), 'relation ' || v.oid
    FROM visible v
    UNION ALL
    SELECT 'type ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname) || ' enum (' ||
           string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) || ')', 'type ' || t.oid
    FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
    JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
    WHERE n.nspname NOT LIKE 'pg\_temp%' AND ($3::text = '' OR n.nspname = $3::text)
    GROUP BY n.nspname, t.typname, t.oid)
    SELECT line, object FROM lines)";

static Catalog read_catalog(pqxx::transaction_base& tx, const TableLocation& location,
                            const std::optional<std::string>& only_schema);

Catalog catalog_snapshot(pqxx::transaction_base& tx, const TableLocation& location,
                         const std::optional<std::string>& only_schema) {
  // pg_get_indexdef and pg_get_expr open the table: one another session dropped between the
  // scan of pg_class and that open fails the read ("could not open relation with OID", an
  // internal error). Read again, with a newer snapshot; a read that keeps failing is thrown.
  constexpr int attempts = 5;
  for (int attempt = 1;; ++attempt) {
    tx.exec("SAVEPOINT sonamu_catalog_read");
    try {
      Catalog lines = read_catalog(tx, location, only_schema);
      tx.exec("RELEASE SAVEPOINT sonamu_catalog_read");
      return lines;
    } catch (const pqxx::sql_error& e) {
      tx.exec("ROLLBACK TO SAVEPOINT sonamu_catalog_read");
      tx.exec("RELEASE SAVEPOINT sonamu_catalog_read");
      if (e.sqlstate() != "XX000" || attempt >= attempts) throw;
    }
  }
}

static Catalog read_catalog(pqxx::transaction_base& tx, const TableLocation& location,
                            const std::optional<std::string>& only_schema) {
  const auto& table = location.table;
  const std::vector<std::string> excluded = {
      table, location.lock_table(), location.history_table(), table + "_id_seq",
      location.lock_table() + "_index_seq", location.history_table() + "_id_seq",
      location.sources_table(), location.sources_table() + "_pkey"};
  const auto rows =
      tx.exec_params(catalog_lines_sql, location.schema, text_array_literal(excluded), only_schema.value_or(""));
  Catalog lines;
  for (const auto& row : rows) {
    // Filtered here, not in SQL: a filter on the line would be pushed down to pg_index and
    // pg_attrdef, calling those functions on every table's rows, other schemas' too.
    if (!row[0].is_null()) lines.emplace(row[0].as<std::string>(), row[1].as<std::string>());
  }
  return lines;
}

std::set<std::string> changed_here(pqxx::transaction_base& tx, const std::set<std::string>& objects) {
  if (objects.empty()) return {};
  tx.exec("SAVEPOINT sonamu_changed_here");
  try {
    auto ours = objects_changed_here(tx, objects, newer_is_ours_if_in_progress);
    tx.exec("RELEASE SAVEPOINT sonamu_changed_here");
    return ours;
  } catch (const pqxx::sql_error&) {
    tx.exec("ROLLBACK TO SAVEPOINT sonamu_changed_here");
    tx.exec("RELEASE SAVEPOINT sonamu_changed_here");
    // Only a type that a subtransaction of ours created (a DO block with an EXCEPTION clause)
    // is then taken for another session's.
    return objects_changed_here(tx, objects, "false");
  }
}

}  // namespace sonamu::pg
