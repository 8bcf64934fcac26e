#include "pg/row_comparison.hpp"

#include "pg/store.hpp"

#include <pqxx/result>
#include <pqxx/subtransaction>

#include <algorithm>
#include <atomic>

namespace sonamu::pg {

namespace {

/// Copies need names that are unique for the whole transaction (verify --all copies once per
/// migration).
std::atomic<int> copy_counter{0};

std::string join_sql(const std::vector<std::string>& parts, const std::string& separator) {
  std::string text;
  for (std::size_t i = 0; i < parts.size(); ++i) text += (i > 0 ? separator : "") + parts[i];
  return text;
}

/// A value as the report shows it: quoted, NULL, or cut short when long.
std::string shown(const pqxx::field& field) {
  if (field.is_null()) return "NULL";
  std::string text = field.as<std::string>();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

/// "64 MB", or "100 bytes" for a limit that is not a whole number of megabytes.
std::string limit_text(long long bytes) {
  constexpr long long megabyte = 1024 * 1024;
  if (bytes >= megabyte && bytes % megabyte == 0) return std::to_string(bytes / megabyte) + " MB";
  return std::to_string(bytes) + " bytes";
}

/// Quoted names of the columns of `relation` (a regclass text), in order.
std::vector<std::string> columns_of(pqxx::transaction_base& tx, const std::string& relation) {
  std::vector<std::string> columns;
  for (const auto& row : tx.exec_params("SELECT quote_ident(attname) FROM pg_catalog.pg_attribute"
                                        " WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped"
                                        " ORDER BY attnum",
                                        relation)) {
    columns.push_back(row[0].as<std::string>());
  }
  return columns;
}

/// The columns of one table compared with its copy, by primary key.
void compare_by_key(pqxx::transaction_base& tx, const TableCopy& copy, const std::vector<std::string>& columns,
                    DataCheck& check) {
  std::vector<std::string> on;
  for (const auto& key : copy.key) on.push_back("a." + key + " = b." + key);
  const std::string from = " FROM pg_temp." + copy.copy + " b LEFT JOIN " + copy.table + " a ON " +
                           join_sql(on, " AND ");
  const auto differs = [](const std::string& column) {
    return "a.ctid IS NOT NULL AND a." + column + "::text IS DISTINCT FROM b." + column + "::text";
  };
  std::string select = "SELECT count(*), count(*) FILTER (WHERE a.ctid IS NULL)";
  for (const auto& column : columns) select += ", count(*) FILTER (WHERE " + differs(column) + ")";
  const auto totals = tx.exec(select + from)[0];
  const long long rows = totals[0].as<long long>();
  const long long gone = totals[1].as<long long>();
  if (gone > 0) {
    ValueDrift drift;
    drift.display = copy.display;
    drift.rows = true;
    drift.differing = gone;
    drift.compared = rows;
    drift.sampled = copy.sampled;
    check.drifts.push_back(drift);
  }
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const long long differing = totals[static_cast<int>(i) + 2].as<long long>();
    if (differing == 0) continue;
    ValueDrift drift;
    drift.display = copy.display + "." + columns[i];
    drift.differing = differing;
    drift.compared = rows - gone;
    drift.sampled = copy.sampled;
    std::vector<std::string> order;
    for (const auto& key : copy.key) order.push_back("b." + key);
    const auto example = tx.exec("SELECT b." + columns[i] + "::text, a." + columns[i] + "::text" + from +
                                 " WHERE " + differs(columns[i]) + " ORDER BY " + join_sql(order, ", ") +
                                 " LIMIT 1");
    if (!example.empty()) {
      drift.before = shown(example[0][0]);
      drift.after = shown(example[0][1]);
    }
    check.drifts.push_back(drift);
  }
}

/// The columns of one table without a primary key, compared as multisets of values: a value
/// counts as differing when the table after down holds it fewer times than the copy.
void compare_as_multisets(pqxx::transaction_base& tx, const TableCopy& copy,
                          const std::vector<std::string>& columns, DataCheck& check) {
  const std::string copy_sql = "pg_temp." + copy.copy;
  const auto counts = tx.exec("SELECT (SELECT count(*) FROM " + copy_sql + "), (SELECT count(*) FROM " +
                              copy.table + ")")[0];
  const long long rows = counts[0].as<long long>();
  const long long now = counts[1].as<long long>();
  if (now < rows) {
    ValueDrift drift;
    drift.display = copy.display;
    drift.rows = true;
    drift.differing = rows - now;
    drift.compared = rows;
    check.drifts.push_back(drift);
  }
  for (const auto& column : columns) {
    const std::string lost = "SELECT " + column + "::text AS v FROM " + copy_sql + " EXCEPT ALL SELECT " +
                             column + "::text FROM " + copy.table;
    const std::string gained = "SELECT " + column + "::text AS v FROM " + copy.table + " EXCEPT ALL SELECT " +
                               column + "::text FROM " + copy_sql;
    const auto result = tx.exec("SELECT (SELECT count(*) FROM (" + lost + ") d), (SELECT v FROM (" + lost +
                                ") d ORDER BY v LIMIT 1), (SELECT v FROM (" + gained + ") d ORDER BY v LIMIT 1)")[0];
    const long long differing = result[0].as<long long>();
    if (differing == 0) continue;
    ValueDrift drift;
    drift.display = copy.display + "." + column;
    drift.differing = differing;
    drift.compared = rows;
    drift.before = shown(result[1]);
    // Without a key no row pairs a value with its successor; the smallest new value is shown
    // only when exactly one value changed, where the pairing is certain.
    if (differing == 1 && !result[2].is_null()) drift.after = shown(result[2]);
    check.drifts.push_back(drift);
  }
}

/// Rolls back to the savepoint of tables_written after a failure, keeping the transaction
/// usable; a failure of the rollback itself (a lost connection) leaves the first one to report.
void undo_written_tables(pqxx::transaction_base& tx) noexcept {
  try {
    tx.exec("ROLLBACK TO SAVEPOINT sonamu_written_tables");
    tx.exec("RELEASE SAVEPOINT sonamu_written_tables");
  } catch (...) {
  }
}

}  // namespace

RowSnapshot snapshot_rows(pqxx::transaction_base& tx, const TableLocation& location, long long exact_limit_bytes,
                          const std::set<std::string>& only) {
  const std::vector<std::string> excluded = {location.table, location.lock_table(), location.history_table(),
                                             location.sources_table()};
  // Tables that hold at least one page; partitions are read through their root. Sizes are
  // read by oid: of a table another session dropped meanwhile they are NULL.
  const auto tables = tx.exec_params(R"(
    SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname),
           CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END,
           COALESCE(CASE WHEN c.relkind = 'p'
                THEN (SELECT sum(pg_relation_size(t.relid)) FROM pg_partition_tree(c.oid) t)::bigint
                ELSE pg_relation_size(c.oid) END, 0),
           (SELECT array_agg(quote_ident(a.attname) ORDER BY k.position)
              FROM pg_catalog.pg_index i
              CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
              JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
             WHERE i.indrelid = c.oid AND i.indisprimary)
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
      AND NOT (n.nspname = $1 AND c.relname = ANY ($2::text[]))
      AND c.oid::text = ANY ($3::text[])
    ORDER BY 2)",
      location.schema, text_array_literal(excluded), text_array_literal({only.begin(), only.end()}));
  RowSnapshot snapshot;
  for (const auto& row : tables) {
    TableCopy copy;
    copy.table = row[0].as<std::string>();
    copy.display = row[1].as<std::string>();
    const long long bytes = row[2].as<long long>();
    if (bytes == 0) continue;  // no page, no row
    if (!row[3].is_null()) {
      auto array = row[3].as_array();
      for (auto element = array.get_next(); element.first != pqxx::array_parser::done; element = array.get_next()) {
        if (element.first == pqxx::array_parser::string_value) copy.key.push_back(element.second);
      }
    }
    copy.sampled = bytes > exact_limit_bytes;
    if (copy.sampled && copy.key.empty()) {
      snapshot.notes.push_back(copy.display + ": not compared (above the " + limit_text(exact_limit_bytes) +
                               " exact limit, and no primary key to pair sampled rows by)");
      continue;
    }
    copy.copy = "sonamu_verify_" + std::to_string(++copy_counter);
    const auto copied = tx.exec("CREATE TEMPORARY TABLE " + copy.copy + " AS SELECT * FROM " + copy.table +
                                (copy.sampled ? " LIMIT " + std::to_string(sampled_rows) : std::string()));
    if (copied.affected_rows() == 0) continue;
    if (copy.sampled) {
      snapshot.notes.push_back(copy.display + ": compared on a sample (its first " + std::to_string(sampled_rows) +
                               " rows at most; the table is above the " + limit_text(exact_limit_bytes) +
                               " exact limit)");
    }
    snapshot.copies.push_back(std::move(copy));
  }
  return snapshot;
}

std::set<std::string> tables_written(pqxx::transaction_base& tx, const std::function<void()>& work) {
  tx.exec("SAVEPOINT sonamu_written_tables");
  std::set<std::string> tables;
  try {
    work();
    // Writing rows takes ROW EXCLUSIVE at the least, changing a definition more; reading
    // takes less. Partitions are copied through their root.
    for (const auto& row : tx.exec(R"(
        SELECT DISTINCT COALESCE(pg_partition_root(c.oid)::oid, c.oid)::text
        FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_class c ON c.oid = l.relation
        WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted
          AND l.mode NOT IN ('AccessShareLock', 'RowShareLock') AND c.relkind IN ('r', 'p'))")) {
      tables.insert(row[0].as<std::string>());
    }
  } catch (...) {
    undo_written_tables(tx);
    throw;
  }
  // Tables the work created are gone with it: the copy finds no such oid.
  tx.exec("ROLLBACK TO SAVEPOINT sonamu_written_tables");
  tx.exec("RELEASE SAVEPOINT sonamu_written_tables");
  return tables;
}

DataCheck compare_rows(pqxx::transaction_base& tx, const RowSnapshot& snapshot) {
  DataCheck check;
  check.notes = snapshot.notes;
  for (const auto& copy : snapshot.copies) {
    // A table the down removed or replaced is the catalog comparison's business.
    if (tx.exec_params("SELECT to_regclass($1) IS NULL", copy.table)[0][0].as<bool>()) continue;
    const auto now = columns_of(tx, copy.table);
    std::vector<std::string> columns;
    for (const auto& column : columns_of(tx, "pg_temp." + copy.copy)) {
      if (std::find(now.begin(), now.end(), column) != now.end()) columns.push_back(column);
    }
    bool keyed = !copy.key.empty();
    for (const auto& key : copy.key) keyed = keyed && std::find(columns.begin(), columns.end(), key) != columns.end();
    try {
      // A comparison the server refuses (a key whose type changed) must not end the verify.
      pqxx::subtransaction attempt(dynamic_cast<pqxx::dbtransaction&>(tx), "row_comparison");
      if (keyed) {
        compare_by_key(attempt, copy, columns, check);
      } else {
        compare_as_multisets(attempt, copy, columns, check);
      }
      attempt.commit();
    } catch (const pqxx::sql_error& e) {
      // Refused (a data exception, class 22, or an operator missing for a changed type, class
      // 42): noted. Stopped (a lock, a timeout, a signal): the check did not finish, and a
      // verify that could not compare must not pass on a note.
      const std::string sqlstate = e.sqlstate();
      if (sqlstate.rfind("22", 0) != 0 && sqlstate.rfind("42", 0) != 0) throw;
      const std::string reason = e.what();
      check.notes.push_back(copy.display + ": not compared (" + reason.substr(0, reason.find('\n')) + ")");
    }
  }
  return check;
}

}  // namespace sonamu::pg
