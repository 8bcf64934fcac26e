// Joins, table aliases and insert's ON CONFLICT: the parts of knex's query builder a ported
// data migration uses beyond where/order/limit, written as knex 3 writes them for PostgreSQL.
#include "builder/query_parts.hpp"
#include "builder/sql_text.hpp"
#include "builder/table_compiler.hpp"

#include <sonamu/builder/definition_error.hpp>
#include <sonamu/builder/query_builder.hpp>

#include <cctype>

namespace sonamu {

JoinClause& JoinClause::on(const std::string& first, const std::string& op, const std::string& second) {
  sql::wrap(first, "column name");  // checked at the call that wrote it
  sql::wrap(second, "column name");
  conditions_.push_back({false, first, sql::comparison_operator(op), second});
  return *this;
}

JoinClause& JoinClause::orOn(const std::string& first, const std::string& op, const std::string& second) {
  on(first, op, second);
  conditions_.back().or_ = true;
  return *this;
}

QueryBuilder& QueryBuilder::add_join(const char* keyword, const std::string& table, JoinClause clause) {
  if (clause.conditions().empty()) throw DefinitionError("join(\"" + table + "\") needs an on() condition");
  sql::from_table({}, table);  // checks the name now
  extras_.joins.push_back({keyword, table, std::move(clause)});
  return *this;
}

detail::OnConflict& QueryBuilder::conflict(const char* method) {
  if (operation_ != Operation::insert) {
    throw DefinitionError(std::string(method) + "() follows insert(...): knex's insert(...).onConflict(...)");
  }
  if (!extras_.on_conflict) throw DefinitionError(std::string(method) + "() follows onConflict(...)");
  if (extras_.on_conflict->action != detail::OnConflict::Action::none) {
    throw DefinitionError(std::string(method) + "(): merge() or ignore() was given already");
  }
  return *extras_.on_conflict;
}

QueryBuilder& QueryBuilder::onConflict(const Columns& columns) {
  if (operation_ != Operation::insert) throw DefinitionError("onConflict() follows insert(...)");
  for (const auto& column : columns.names()) sql::wrap(column, "column name");
  extras_.on_conflict = detail::OnConflict{columns.names(), detail::OnConflict::Action::none, {}, {}};
  return *this;
}

QueryBuilder& QueryBuilder::ignore() {
  conflict("ignore").action = detail::OnConflict::Action::ignore;
  return *this;
}

QueryBuilder& QueryBuilder::merge() {
  conflict("merge").action = detail::OnConflict::Action::merge;
  return *this;
}

QueryBuilder& QueryBuilder::merge(const Columns& columns) {
  if (columns.empty()) throw DefinitionError("merge() with a list needs a column");
  auto& target = conflict("merge");
  for (const auto& column : columns.names()) sql::wrap(column, "column name");
  target.action = detail::OnConflict::Action::merge;
  target.merge_columns = columns.names();
  return *this;
}

QueryBuilder& QueryBuilder::merge(const Row& values) {
  if (values.empty()) throw DefinitionError("merge() with values needs a column");
  auto& target = conflict("merge");
  target.action = detail::OnConflict::Action::merge;
  target.merge_values = values;
  return *this;
}

namespace sql {

std::string from_table(const std::string& schema, const std::string& table) {
  std::string lowered = table;
  for (auto& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto as = lowered.find(" as ");
  if (as == std::string::npos) return schema::qualified_table(schema, table);
  return schema::qualified_table(schema, table.substr(0, as)) + " AS " + quote(table.substr(as + 4), "table alias");
}

void write_joins(Writer& out, const std::string& schema, const std::vector<detail::Join>& joins) {
  for (const auto& join : joins) {
    out << " " << join.keyword << " " << from_table(schema, join.table);
    const auto& conditions = join.clause.conditions();
    for (std::size_t i = 0; i < conditions.size(); ++i) {
      out << (i == 0 ? " ON " : conditions[i].or_ ? " OR " : " AND ") << wrap(conditions[i].first, "column name")
          << " " << conditions[i].op << " " << wrap(conditions[i].second, "column name");
    }
  }
}

void write_on_conflict(Writer& out, const detail::OnConflict& conflict, const std::vector<std::string>& inserted) {
  using Action = detail::OnConflict::Action;
  if (conflict.action == Action::none) throw DefinitionError("onConflict() needs merge() or ignore() after it");
  out << " ON CONFLICT";
  if (!conflict.columns.empty()) out << " (" << columnize(conflict.columns) << ")";
  if (conflict.action == Action::ignore) {
    out << " DO NOTHING";
    return;
  }
  if (conflict.action == Action::merge && inserted.empty()) {
    throw DefinitionError("merge() needs inserted columns: insert() of an empty row has none");
  }
  out << " DO UPDATE SET ";
  if (conflict.merge_values) {
    // knex joins these with a bare comma (its _prepUpdate), unlike the excluded form.
    std::size_t i = 0;
    for (const auto& [column, value] : *conflict.merge_values) {
      out << (i++ > 0 ? "," : "") << wrap(column, "column name") << " = ";
      out.value(value);
    }
    return;
  }
  const auto& columns = conflict.merge_columns ? *conflict.merge_columns : inserted;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const auto column = wrap(columns[i], "column name");
    out << (i > 0 ? ", " : "") << column << " = EXCLUDED." << column;
  }
}

}  // namespace sql

}  // namespace sonamu
