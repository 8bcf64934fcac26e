#include "pg/data_at_risk.hpp"

#include "pg/store.hpp"

#include <pqxx/result>

namespace sonamu::pg {

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
