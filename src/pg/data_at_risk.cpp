#include "pg/data_at_risk.hpp"

#include "pg/store.hpp"

#include <pqxx/result>
#include <pqxx/subtransaction>

#include <regex>

namespace sonamu::pg {

namespace {

/// One loss with what the server says about it, identifiers quoted by the server itself.
struct Target {
  const Loss* loss = nullptr;
  std::string table;   ///< oid::regclass: quoted and schema-qualified as needed
  std::string column;  ///< quote_ident(attname)
  long long bytes = 0; ///< main fork, summed over partitions
};

/// The planner's row estimate for `sql` (EXPLAIN, nothing is read).
long long planner_rows(pqxx::transaction_base& tx, const std::string& sql) {
  static const std::regex plan_rows(R"re("Plan Rows":\s*([0-9.eE+]+))re");
  const std::string plan = tx.exec("EXPLAIN (FORMAT JSON) " + sql)[0][0].as<std::string>();
  std::smatch match;
  if (!std::regex_search(plan, match, plan_rows)) return 0;
  return static_cast<long long>(std::stod(match[1]));
}

/// Values of `column` that do not come back unchanged from the new type. A value the cast
/// refuses counts too: the down converts it some other way, or not at all.
long long changed_by_type(pqxx::transaction_base& tx, const Target& target) {
  const Loss& loss = *target.loss;
  try {
    // Every transaction the adapters count in is a real one (never a nontransaction).
    pqxx::subtransaction attempt(dynamic_cast<pqxx::dbtransaction&>(tx), "type_change_count");
    const std::string sql = "SELECT count(*) FROM " + target.table + " WHERE " + target.column +
                            " IS NOT NULL AND (" + target.column + "::" + loss.to_type + "::" + loss.from_type +
                            ")::text IS DISTINCT FROM " + target.column + "::text";
    const long long count = attempt.exec(sql)[0][0].as<long long>();
    attempt.commit();
    return count;
  } catch (const pqxx::sql_error& e) {
    // Only a cast the server refuses (a data exception, class 22, or an impossible cast,
    // class 42) counts every value; a count stopped by a lock, a timeout or a signal stops
    // the measurement instead of passing for one.
    const std::string sqlstate = e.sqlstate();
    if (sqlstate.rfind("22", 0) != 0 && sqlstate.rfind("42", 0) != 0) throw;
    return tx.exec("SELECT count(" + target.column + ") FROM " + target.table)[0][0].as<long long>();
  }
}

/// Rows, non-null values or changed values that `target`'s loss takes.
DataAtRisk measured(pqxx::transaction_base& tx, const Target& target, long long exact_limit_bytes) {
  const Loss& loss = *target.loss;
  DataAtRisk risk;
  risk.display = loss.display;
  risk.kind = loss.kind;
  risk.from_type = loss.from_type;
  risk.to_type = loss.to_type;
  const std::string non_null = loss.kind == LossKind::table ? "" : " WHERE " + target.column + " IS NOT NULL";
  if (target.bytes > exact_limit_bytes) {
    // The planner's statistics, so the report on a huge table reads no page of it.
    risk.estimated = true;
    risk.count = planner_rows(tx, "SELECT 1 FROM " + target.table + non_null);
  } else if (loss.kind == LossKind::type_change) {
    risk.count = changed_by_type(tx, target);
  } else {
    risk.count = tx.exec("SELECT count(*) FROM " + target.table + non_null)[0][0].as<long long>();
  }
  return risk;
}

/// measured(), or nothing when another session dropped the table or the column after it was
/// looked up: what no longer exists cannot be destroyed by the rollback. Any other failure
/// is thrown: a count that cannot finish never counts as nothing at risk.
std::optional<DataAtRisk> measured_if_present(pqxx::transaction_base& tx, const Target& target,
                                              long long exact_limit_bytes) {
  std::optional<DataAtRisk> risk;
  try {
    pqxx::subtransaction attempt(dynamic_cast<pqxx::dbtransaction&>(tx), "data_at_risk_count");
    risk = measured(attempt, target, exact_limit_bytes);
    attempt.commit();
  } catch (const pqxx::undefined_table&) {
    return std::nullopt;
  } catch (const pqxx::undefined_column&) {
    return std::nullopt;
  }
  if (risk->count == 0) return std::nullopt;
  return risk;
}

}  // namespace

SchemaShape schema_shape(pqxx::transaction_base& tx, const TableLocation& location,
                         const std::optional<std::string>& only_schema) {
  const std::vector<std::string> excluded = {location.table, location.lock_table(), location.history_table(),
                                             location.sources_table()};
  const auto rows = tx.exec_params(R"(
    SELECT c.oid::bigint,
           CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END,
           a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),
           c.relpages > 0 OR COALESCE(pg_relation_size(c.oid) > 0, false) OR c.relkind = 'p'
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE c.relkind IN ('r', 'p', 'm') AND NOT c.relispartition
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
      AND NOT (n.nspname = $1 AND c.relname = ANY ($2::text[]))
      AND ($3::text = '' OR n.nspname = $3::text)
    ORDER BY c.oid, a.attnum)",
      location.schema, text_array_literal(excluded), only_schema.value_or(""));
  SchemaShape shape;
  for (const auto& row : rows) {
    const auto id = row[0].as<std::uint32_t>();
    if (shape.empty() || shape.back().id != id) {
      shape.push_back({id, row[1].as<std::string>(), {}, row[5].as<bool>()});
    }
    if (!row[2].is_null()) {
      shape.back().columns.push_back({row[2].as<int>(), row[3].as<std::string>(), row[4].as<std::string>()});
    }
  }
  return shape;
}

std::vector<DataAtRisk> count_losses(pqxx::transaction_base& tx, const std::vector<Loss>& losses,
                                     long long exact_limit_bytes) {
  if (losses.empty()) return {};
  std::string ids = "{";
  std::string numbers = "{";
  for (const auto& loss : losses) {
    ids += (ids.size() > 1 ? "," : "") + std::to_string(loss.table_id);
    numbers += (numbers.size() > 1 ? "," : "") + std::to_string(loss.column_number);
  }
  // One round trip for the names and sizes; the tables that hold no page hold no data. By
  // oid, joined to the catalog: a table (or column) another session dropped since the downs
  // were measured is gone, and with it what a rollback could destroy.
  const auto rows = tx.exec_params(R"(
    SELECT d.position, quote_ident(n.nspname) || '.' || quote_ident(c.relname), COALESCE(quote_ident(a.attname), ''),
           COALESCE(CASE WHEN c.relkind = 'p'
                THEN (SELECT sum(pg_relation_size(t.relid)) FROM pg_partition_tree(c.oid) t)::bigint
                ELSE pg_relation_size(c.oid) END, 0)
    FROM unnest($1::oid[], $2::int[]) WITH ORDINALITY AS d(rel, att, position)
    JOIN pg_catalog.pg_class c ON c.oid = d.rel
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.att AND d.att > 0
                                       AND NOT a.attisdropped
    ORDER BY d.position)",
      ids + "}", numbers + "}");
  std::vector<DataAtRisk> risks;
  for (const auto& row : rows) {
    Target target;
    target.loss = &losses[row[0].as<std::size_t>() - 1];
    target.table = row[1].as<std::string>();
    target.column = row[2].as<std::string>();
    target.bytes = row[3].as<long long>();
    if (target.bytes == 0) continue;
    if (target.loss->kind != LossKind::table && target.column.empty()) continue;
    if (auto risk = measured_if_present(tx, target, exact_limit_bytes)) risks.push_back(std::move(*risk));
  }
  return risks;
}

}  // namespace sonamu::pg
