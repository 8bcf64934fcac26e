#include "pg/schema_catalog_reader.hpp"

#include "pg/connect.hpp"
#include "pg/store.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include <array>
#include <string>

namespace sonamu::pg {

namespace {

// The objects the snapshot reads. `members`: what extensions installed (pg_depend 'e'), never
// the user's to migrate. `schemas`: the user's schemas (pg_* and information_schema are the
// server's). `own`: the bookkeeping tables ($1: their schema, $2: their names). `rels`: the
// relations shown, without those of `own` or of extensions, nor the sequences a column of
// theirs owns (pg_depend 'a' for serial, 'i' for identity). Indexes, constraints, triggers and
// policies are read through `rels`, so theirs are left out with them.
constexpr const char* common_tables = R"(
WITH members AS (
  SELECT classid, objid FROM pg_catalog.pg_depend
  WHERE refclassid = 'pg_catalog.pg_extension'::regclass AND deptype = 'e'),
schemas AS (
  SELECT n.oid, n.nspname, n.nspacl FROM pg_catalog.pg_namespace n
  WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
    AND NOT EXISTS (SELECT 1 FROM members m WHERE m.classid = 'pg_catalog.pg_namespace'::regclass AND m.objid = n.oid)),
own AS (
  SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = $1 AND c.relname = ANY ($2::text[]) AND c.relkind IN ('r', 'p')),
hidden AS (
  SELECT oid FROM own
  UNION SELECT objid FROM members WHERE classid = 'pg_catalog.pg_class'::regclass),
rels AS (
  SELECT c.oid, c.relname, c.relkind, s.nspname, c.relacl, c.relrowsecurity, c.relforcerowsecurity,
         c.relpersistence, c.relispartition, c.relpartbound, c.reloptions
  FROM pg_catalog.pg_class c JOIN schemas s ON s.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    AND c.oid NOT IN (SELECT oid FROM hidden)
    AND (c.relkind <> 'S' OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                      AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i')
                      AND d.refobjid IN (SELECT oid FROM hidden))))
)";

/// The grants of an ACL (`%s`): one line per grantee, "role: PRIVILEGE, ...", the privileges
/// and the lines sorted, grantors left out (the same grants given by another role are the
/// same access).
constexpr const char* acl_lines = R"((SELECT string_agg(g.line, E'\n' ORDER BY g.line COLLATE "C") FROM
  (SELECT CASE WHEN e.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(e.grantee)) END || ': '
          || string_agg(e.privilege_type || CASE WHEN e.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END,
                        ', ' ORDER BY e.privilege_type COLLATE "C") AS line
   FROM pg_catalog.aclexplode(%s) e GROUP BY e.grantee) g))";

// One SELECT per kind, each giving schema, kind, name, definition and comment.
constexpr std::array<const char*, 17> kind_selects = {
    // Schemas and their grants.
    R"(SELECT s.nspname, 'schema', quote_ident(s.nspname), 'SCHEMA ' || quote_ident(s.nspname),
       (SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = s.oid
         AND ds.classoid = 'pg_catalog.pg_namespace'::regclass AND ds.objsubid = 0) FROM schemas s)",
    R"(SELECT s.nspname, 'grant', 'schema ' || quote_ident(s.nspname), ACL(s.nspacl), NULL
       FROM schemas s WHERE s.nspacl IS NOT NULL)",
    // Extensions by name and version, wherever they are installed.
    R"(SELECT n.nspname, 'extension', quote_ident(e.extname),
       'EXTENSION ' || quote_ident(e.extname) || ' VERSION ' || quote_literal(e.extversion) || ' SCHEMA ' || quote_ident(n.nspname),
       (SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = e.oid
         AND ds.classoid = 'pg_catalog.pg_extension'::regclass AND ds.objsubid = 0)
       FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace)",
    // Enum types with their values in order, and composite types.
    R"(SELECT s.nspname, 'type', quote_ident(t.typname),
       CASE t.typtype WHEN 'e' THEN 'ENUM (' || COALESCE((SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
                                                         FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid), '') || ')'
       ELSE 'COMPOSITE (' || COALESCE((SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                                       FROM pg_catalog.pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '') || ')' END,
       (SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = t.oid
         AND ds.classoid = 'pg_catalog.pg_type'::regclass AND ds.objsubid = 0)
       FROM pg_catalog.pg_type t JOIN schemas s ON s.oid = t.typnamespace
       WHERE (t.typtype = 'e' OR (t.typtype = 'c' AND (SELECT relkind FROM pg_catalog.pg_class WHERE oid = t.typrelid) = 'c'))
         AND NOT EXISTS (SELECT 1 FROM members m WHERE m.classid = 'pg_catalog.pg_type'::regclass AND m.objid = t.oid))",
    // Domains: base type, collation, default, NOT NULL, then each check by name.
    R"(SELECT s.nspname, 'domain', quote_ident(t.typname),
       format_type(t.typbasetype, t.typtypmod)
       || CASE WHEN t.typcollation <> 0 AND t.typcollation <> b.typcollation THEN ' COLLATE ' ||
            (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM pg_catalog.pg_collation co
             JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = t.typcollation) ELSE '' END
       || COALESCE(' DEFAULT ' || t.typdefault, '') || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
       || COALESCE((SELECT string_agg(E'\nCONSTRAINT ' || quote_ident(c.conname) || ' ' || pg_catalog.pg_get_constraintdef(c.oid), ''
                                      ORDER BY c.conname COLLATE "C")
                    FROM pg_catalog.pg_constraint c WHERE c.contypid = t.oid), ''),
       (SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = t.oid
         AND ds.classoid = 'pg_catalog.pg_type'::regclass AND ds.objsubid = 0)
       FROM pg_catalog.pg_type t JOIN schemas s ON s.oid = t.typnamespace JOIN pg_catalog.pg_type b ON b.oid = t.typbasetype
       WHERE t.typtype = 'd'
         AND NOT EXISTS (SELECT 1 FROM members m WHERE m.classid = 'pg_catalog.pg_type'::regclass AND m.objid = t.oid))",
    // Sequences: their parameters (not their current value: data) and the column owning them.
    R"(SELECT r.nspname, 'sequence', quote_ident(r.relname),
       'AS ' || format_type(q.seqtypid, NULL) || ' START ' || q.seqstart || ' INCREMENT ' || q.seqincrement
       || ' MINVALUE ' || q.seqmin || ' MAXVALUE ' || q.seqmax || ' CACHE ' || q.seqcache
       || CASE WHEN q.seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' END
       || COALESCE((SELECT ' OWNED BY ' || quote_ident(tn.nspname) || '.' || quote_ident(tc.relname) || '.' || quote_ident(a.attname)
                           || CASE d.deptype WHEN 'i' THEN ' (identity)' ELSE '' END
                    FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_class tc ON tc.oid = d.refobjid
                    JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
                    JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = r.oid AND d.refobjsubid > 0
                      AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i')), ''),
       (SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = r.oid
         AND ds.classoid = 'pg_catalog.pg_class'::regclass AND ds.objsubid = 0)
       FROM rels r JOIN pg_catalog.pg_sequence q ON q.seqrelid = r.oid)",
    // Tables: their kind, their columns in order (attnum order, dropped ones left out), the
    // partition bound or key, inheritance, storage options, row level security.
    R"(SELECT r.nspname, 'table', quote_ident(r.relname),
       CASE r.relkind WHEN 'p' THEN 'PARTITIONED TABLE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END
       || CASE WHEN r.relpersistence = 'u' THEN ' UNLOGGED' ELSE '' END
       || ' (' || COALESCE((SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_catalog.pg_attribute a
                            WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped), '') || ')'
       || COALESCE((SELECT CASE WHEN r.relispartition THEN E'\nPARTITION OF ' ELSE E'\nINHERITS ' END
                           || string_agg(quote_ident(pn.nspname) || '.' || quote_ident(pc.relname), ', ' ORDER BY i.inhseqno)
                    FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
                    JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace WHERE i.inhrelid = r.oid), '')
       || CASE WHEN r.relispartition THEN ' ' || pg_catalog.pg_get_expr(r.relpartbound, r.oid) ELSE '' END
       || CASE WHEN r.relkind = 'p' THEN E'\nPARTITION BY ' || pg_catalog.pg_get_partkeydef(r.oid) ELSE '' END
       || CASE WHEN r.reloptions IS NULL THEN '' ELSE
            E'\nWITH (' || array_to_string(ARRAY(SELECT o FROM unnest(r.reloptions) o ORDER BY o COLLATE "C"), ', ') || ')' END
       || CASE WHEN r.relrowsecurity THEN E'\nROW LEVEL SECURITY' ELSE '' END
       || CASE WHEN r.relforcerowsecurity THEN E'\nFORCE ROW LEVEL SECURITY' ELSE '' END,
       (SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = r.oid
         AND ds.classoid = 'pg_catalog.pg_class'::regclass AND ds.objsubid = 0)
       FROM rels r WHERE r.relkind IN ('r', 'p', 'f'))",
    // Columns: type, collation when not the type's, nullability, identity, generation, default.
    R"(SELECT r.nspname, 'column', quote_ident(r.relname) || '.' || quote_ident(a.attname),
       format_type(a.atttypid, a.atttypmod)
       || CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN ' COLLATE ' ||
            (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM pg_catalog.pg_collation co
             JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) ELSE '' END
       || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE ' NULL' END
       || CASE a.attidentity WHEN 'a' THEN ' GENERATED ALWAYS AS IDENTITY' WHEN 'd' THEN ' GENERATED BY DEFAULT AS IDENTITY' ELSE '' END
       || CASE WHEN a.attgenerated = 's' THEN ' GENERATED ALWAYS AS (' || pg_catalog.pg_get_expr(d.adbin, d.adrelid) || ') STORED'
               WHEN d.adbin IS NOT NULL THEN ' DEFAULT ' || pg_catalog.pg_get_expr(d.adbin, d.adrelid) ELSE '' END,
       (SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = r.oid
         AND ds.classoid = 'pg_catalog.pg_class'::regclass AND ds.objsubid = a.attnum)
       FROM rels r JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
       JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE r.relkind IN ('r', 'p', 'f'))",
    // Table constraints. A foreign key to a partitioned table has a copy per partition on the
    // same table, under the same name: only the first is the user's.
    R"(SELECT r.nspname, 'constraint', quote_ident(r.relname) || '.' || quote_ident(c.conname),
       pg_catalog.pg_get_constraintdef(c.oid), (SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = c.oid
         AND ds.classoid = 'pg_catalog.pg_constraint'::regclass AND ds.objsubid = 0)
       FROM rels r JOIN pg_catalog.pg_constraint c ON c.conrelid = r.oid
       WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint p WHERE p.oid = c.conparentid AND p.conrelid = c.conrelid))",
    // Indexes other than those of primary keys, unique and exclusion constraints (the
    // constraint says it all).
    R"(SELECT r.nspname, 'index', quote_ident(ic.relname),
       pg_catalog.pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisvalid THEN '' ELSE E'\nINVALID' END,
       (SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = i.indexrelid
         AND ds.classoid = 'pg_catalog.pg_class'::regclass AND ds.objsubid = 0)
       FROM rels r JOIN pg_catalog.pg_index i ON i.indrelid = r.oid JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
       WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE c.conindid = i.indexrelid
                           AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')))",
    // Views and materialized views as the server deparses them, with their options.
    R"(SELECT r.nspname, CASE r.relkind WHEN 'v' THEN 'view' ELSE 'materialized_view' END, quote_ident(r.relname),
       pg_catalog.pg_get_viewdef(r.oid)
       || CASE WHEN r.reloptions IS NULL THEN '' ELSE
            E'\nWITH (' || array_to_string(ARRAY(SELECT o FROM unnest(r.reloptions) o ORDER BY o COLLATE "C"), ', ') || ')' END,
       (SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = r.oid
         AND ds.classoid = 'pg_catalog.pg_class'::regclass AND ds.objsubid = 0)
       FROM rels r WHERE r.relkind IN ('v', 'm'))",
    // Functions and procedures (aggregates have no CREATE FUNCTION text).
    R"(SELECT s.nspname, CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END,
       quote_ident(p.proname) || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')',
       pg_catalog.pg_get_functiondef(p.oid), (SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = p.oid
         AND ds.classoid = 'pg_catalog.pg_proc'::regclass AND ds.objsubid = 0)
       FROM pg_catalog.pg_proc p JOIN schemas s ON s.oid = p.pronamespace
       WHERE p.prokind IN ('f', 'p', 'w')
         AND NOT EXISTS (SELECT 1 FROM members m WHERE m.classid = 'pg_catalog.pg_proc'::regclass AND m.objid = p.oid))",
    // Triggers the user created: not those behind foreign keys, nor the copies a partitioned
    // table's trigger makes on its partitions.
    R"(SELECT r.nspname, 'trigger', quote_ident(r.relname) || '.' || quote_ident(t.tgname),
       pg_catalog.pg_get_triggerdef(t.oid)
       || CASE t.tgenabled WHEN 'D' THEN E'\nDISABLED' WHEN 'R' THEN E'\nENABLE REPLICA' WHEN 'A' THEN E'\nENABLE ALWAYS' ELSE '' END,
       (SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = t.oid
         AND ds.classoid = 'pg_catalog.pg_trigger'::regclass AND ds.objsubid = 0)
       FROM rels r JOIN pg_catalog.pg_trigger t ON t.tgrelid = r.oid WHERE NOT t.tgisinternal AND t.tgparentid = 0)",
    // Row level security policies.
    R"(SELECT r.nspname, 'policy', quote_ident(r.relname) || '.' || quote_ident(p.polname),
       'POLICY ' || quote_ident(p.polname) || ' ON ' || quote_ident(r.nspname) || '.' || quote_ident(r.relname)
       || CASE WHEN p.polpermissive THEN ' AS PERMISSIVE' ELSE ' AS RESTRICTIVE' END
       || ' FOR ' || CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END
       || ' TO ' || (SELECT string_agg(g.name, ', ' ORDER BY g.name COLLATE "C")
                    FROM (SELECT CASE WHEN x = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(x)) END AS name
                          FROM unnest(p.polroles) x) g)
       || COALESCE(' USING (' || pg_catalog.pg_get_expr(p.polqual, p.polrelid) || ')', '')
       || COALESCE(' WITH CHECK (' || pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) || ')', ''),
       (SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = p.oid
         AND ds.classoid = 'pg_catalog.pg_policy'::regclass AND ds.objsubid = 0)
       FROM rels r JOIN pg_catalog.pg_policy p ON p.polrelid = r.oid)",
    // Comments on the columns of views (a table's are read with its columns).
    R"(SELECT r.nspname, 'comment', 'column ' || quote_ident(r.relname) || '.' || quote_ident(a.attname), ds.description, NULL
       FROM rels r JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
       JOIN pg_catalog.pg_description ds ON ds.objoid = r.oid AND ds.classoid = 'pg_catalog.pg_class'::regclass
                                         AND ds.objsubid = a.attnum
       WHERE r.relkind IN ('v', 'm'))",
    // Grants on single columns.
    R"(SELECT r.nspname, 'grant', 'column ' || quote_ident(r.relname) || '.' || quote_ident(a.attname), ACL(a.attacl), NULL
       FROM rels r JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
       WHERE a.attacl IS NOT NULL)",
    // Grants on tables, views and sequences: one line per grantee, privileges sorted.
    R"(SELECT r.nspname, 'grant',
       CASE r.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized_view' WHEN 'S' THEN 'sequence' ELSE 'table' END
       || ' ' || quote_ident(r.relname), ACL(r.relacl), NULL
       FROM rels r WHERE r.relacl IS NOT NULL)",
};

/// `select` with each ACL(expression) replaced by acl_lines of that expression.
std::string with_acl_lines(std::string select) {
  for (auto start = select.find("ACL("); start != std::string::npos; start = select.find("ACL(", start)) {
    const auto end = select.find(')', start);
    std::string lines = acl_lines;
    lines.replace(lines.find("%s"), 2, select.substr(start + 4, end - start - 4));
    select.replace(start, end - start + 1, lines);
    start += lines.size();
  }
  return select;
}

std::string snapshot_query() {
  std::string query = common_tables;
  for (std::size_t i = 0; i < kind_selects.size(); ++i) {
    query += i == 0 ? "" : "\nUNION ALL\n";
    query += with_acl_lines(kind_selects[i]);
  }
  return query;
}

std::vector<std::string> bookkeeping_tables(const TableLocation& location) {
  return {location.table, location.lock_table(), location.history_table(), location.sources_table()};
}

}  // namespace

SchemaSnapshot read_schema_snapshot(pqxx::transaction_base& tx, const TableLocation& bookkeeping) {
  static const std::string query = snapshot_query();
  const auto before = tx.exec("SELECT pg_catalog.current_setting('search_path'), pg_catalog.current_setting('jit')")[0];
  const auto path = before[0].as<std::string>();
  const auto jit = before[1].as<std::string>();
  // The planner's estimate of this one large query passes the JIT threshold, and compiling it
  // would cost more than running it.
  tx.exec("SELECT pg_catalog.set_config('search_path', 'pg_catalog', true), pg_catalog.set_config('jit', 'off', true)");
  const auto rows = tx.exec_params(query, bookkeeping.schema, text_array_literal(bookkeeping_tables(bookkeeping)));
  tx.exec_params("SELECT pg_catalog.set_config('search_path', $1, true), pg_catalog.set_config('jit', $2, true)", path,
                 jit);
  std::vector<SchemaObject> objects;
  objects.reserve(rows.size());
  for (const auto& row : rows) {
    SchemaObject object{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                        row[3].is_null() ? std::string() : row[3].as<std::string>()};
    if (!row[4].is_null()) {
      objects.push_back({object.schema, "comment", object.kind + ' ' + object.name, row[4].as<std::string>()});
    }
    objects.push_back(std::move(object));
  }
  return make_schema_snapshot(std::move(objects));
}

SchemaSnapshot read_live_schema(const conninfo::ConnectionTarget& target, const TableLocation& bookkeeping,
                                const StatementLimits& limits) {
  auto cx = connect(target);
  pqxx::transaction<pqxx::isolation_level::repeatable_read, pqxx::readwrite_policy::read_only> tx(*cx);
  if (limits.statement_timeout) {
    tx.exec_params("SELECT pg_catalog.set_config('statement_timeout', $1, true)", *limits.statement_timeout);
  }
  if (limits.lock_timeout) tx.exec_params("SELECT pg_catalog.set_config('lock_timeout', $1, true)", *limits.lock_timeout);
  auto snapshot = read_schema_snapshot(tx, bookkeeping);
  tx.commit();
  return snapshot;
}

}  // namespace sonamu::pg
