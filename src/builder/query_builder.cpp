#include "builder/query_parts.hpp"
#include "builder/sql_text.hpp"
#include "builder/table_compiler.hpp"

#include <sonamu/knex.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <exception>
#include <set>

namespace sonamu {

namespace {

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}


void write_where(sql::Writer& out, const std::vector<detail::WhereClause>& wheres) {
  for (std::size_t i = 0; i < wheres.size(); ++i) {
    const auto& clause = wheres[i];
    out << (i == 0 ? " WHERE " : clause.or_ ? " OR " : " AND ");
    if (clause.not_) out << "NOT ";
    switch (clause.kind) {
      case detail::WhereClause::Kind::compare:
        out << sql::wrap(clause.column, "column name") << " " << clause.op << " ";
        out.value(clause.values.front());
        break;
      case detail::WhereClause::Kind::null: out << sql::wrap(clause.column, "column name") << " IS NULL"; break;
      case detail::WhereClause::Kind::not_null:
        out << sql::wrap(clause.column, "column name") << " IS NOT NULL";
        break;
      case detail::WhereClause::Kind::in:
      case detail::WhereClause::Kind::not_in: {
        const bool in = clause.kind == detail::WhereClause::Kind::in;
        if (clause.values.empty()) {
          // knex: an empty IN matches nothing, an empty NOT IN everything.
          out << "1 = ";
          out.param(in ? "0" : "1");
          break;
        }
        out << sql::wrap(clause.column, "column name") << (in ? " IN (" : " NOT IN (");
        for (std::size_t v = 0; v < clause.values.size(); ++v) {
          if (v > 0) out << ", ";
          out.value(clause.values[v]);
        }
        out << ")";
        break;
      }
      case detail::WhereClause::Kind::raw: out.value(clause.expression); break;
    }
  }
}

void write_returning(sql::Writer& out, const std::vector<std::string>& returning) {
  if (returning.empty()) return;
  out << " RETURNING ";
  for (std::size_t i = 0; i < returning.size(); ++i) {
    out << (i > 0 ? ", " : "") << sql::wrap(returning[i], "column name");
  }
}

}  // namespace

QueryBuilder::QueryBuilder(Knex& knex, std::string table)
    : knex_(&knex), exceptions_at_creation_(std::uncaught_exceptions()), table_(std::move(table)) {
  if (table_.empty()) throw DefinitionError("a table name cannot be empty");
}

QueryBuilder::QueryBuilder(Knex& knex, ConditionsOnly)
    : knex_(&knex), exceptions_at_creation_(std::uncaught_exceptions()) {}

QueryBuilder QueryBuilder::conditions(Knex& knex) { return QueryBuilder(knex, ConditionsOnly{}); }

Statement QueryBuilder::whereSQL() const {
  sql::Writer out;
  write_where(out, wheres_);
  Statement where = std::move(out).take();
  const std::string keyword = " WHERE ";
  if (where.sql.compare(0, keyword.size(), keyword) == 0) where.sql.erase(0, keyword.size());
  return where;
}

QueryBuilder::QueryBuilder(const QueryBuilder& other)
    : knex_(other.knex_),
      operation_(other.operation_),
      update_values_(other.update_values_),
      insert_rows_(other.insert_rows_),
      exceptions_at_creation_(std::uncaught_exceptions()),
      schema_(other.schema_),
      table_(other.table_),
      columns_(other.columns_),
      wheres_(other.wheres_),
      order_(other.order_),
      limit_(other.limit_),
      offset_(other.offset_),
      returning_(other.returning_),
      extras_(other.extras_) {}

QueryBuilder& QueryBuilder::operator=(const QueryBuilder& other) {
  if (this == &other) return *this;
  QueryBuilder copy(other);
  // A builder about to be overwritten runs what it still owes first, as at the end of its life.
  if (pending_) rows();
  knex_ = copy.knex_;
  operation_ = copy.operation_;
  update_values_ = std::move(copy.update_values_);
  insert_rows_ = std::move(copy.insert_rows_);
  result_.reset();
  schema_ = std::move(copy.schema_);
  table_ = std::move(copy.table_);
  columns_ = std::move(copy.columns_);
  wheres_ = std::move(copy.wheres_);
  order_ = std::move(copy.order_);
  limit_ = copy.limit_;
  offset_ = copy.offset_;
  returning_ = std::move(copy.returning_);
  extras_ = std::move(copy.extras_);
  return *this;
}

QueryBuilder::QueryBuilder(QueryBuilder&& other) noexcept
    : knex_(other.knex_),
      operation_(other.operation_),
      update_values_(std::move(other.update_values_)),
      insert_rows_(std::move(other.insert_rows_)),
      pending_(other.pending_),
      result_(std::move(other.result_)),
      exceptions_at_creation_(other.exceptions_at_creation_),
      schema_(std::move(other.schema_)),
      table_(std::move(other.table_)),
      columns_(std::move(other.columns_)),
      wheres_(std::move(other.wheres_)),
      order_(std::move(other.order_)),
      limit_(other.limit_),
      offset_(other.offset_),
      returning_(std::move(other.returning_)),
      extras_(std::move(other.extras_)) {
  other.pending_ = false;
}

QueryBuilder::~QueryBuilder() noexcept(false) {
  if (!pending_) return;
  pending_ = false;
  // During unwinding a throw would terminate the program, and the migration fails anyway.
  if (std::uncaught_exceptions() > exceptions_at_creation_) return;
  result_ = run(toSQL());
}

QueryBuilder QueryBuilder::pending(Operation operation) const {
  QueryBuilder copy(*this);
  copy.operation_ = operation;
  copy.pending_ = true;
  return copy;
}

QueryBuilder& QueryBuilder::withSchema(const std::string& schema) {
  if (schema.empty()) throw DefinitionError("withSchema() needs a schema name");
  schema_ = schema;
  return *this;
}

QueryBuilder& QueryBuilder::select(const Columns& columns) {
  for (const auto& column : columns.names()) {
    sql::wrap_aliased(column);  // checks the name now, at the call that wrote it
    columns_.push_back(column);
  }
  return *this;
}

QueryBuilder& QueryBuilder::add_compare(bool or_, bool not_, const std::string& column,
                                        const std::string& op, SqlValue value) {
  sql::wrap(column, "column name");
  detail::WhereClause clause;
  clause.or_ = or_;
  clause.not_ = not_;
  clause.column = column;
  clause.op = sql::comparison_operator(op);
  clause.values.push_back(std::move(value));
  wheres_.push_back(std::move(clause));
  return *this;
}

QueryBuilder& QueryBuilder::where(const std::string& column, SqlValue value) {
  if (value.is_null()) return whereNull(column);
  return add_compare(false, false, column, "=", std::move(value));
}

QueryBuilder& QueryBuilder::where(const std::string& column, const std::string& op, SqlValue value) {
  return add_compare(false, false, column, op, std::move(value));
}

QueryBuilder& QueryBuilder::where(const Row& conditions) {
  for (const auto& [column, value] : conditions) where(column, value);
  return *this;
}

QueryBuilder& QueryBuilder::orWhere(const std::string& column, SqlValue value) {
  if (value.is_null()) {
    whereNull(column);
    wheres_.back().or_ = true;
    return *this;
  }
  return add_compare(true, false, column, "=", std::move(value));
}

QueryBuilder& QueryBuilder::orWhere(const std::string& column, const std::string& op, SqlValue value) {
  return add_compare(true, false, column, op, std::move(value));
}

QueryBuilder& QueryBuilder::whereNot(const std::string& column, SqlValue value) {
  return add_compare(false, true, column, "=", std::move(value));
}

QueryBuilder& QueryBuilder::whereIn(const std::string& column, std::vector<SqlValue> values) {
  sql::wrap(column, "column name");
  detail::WhereClause clause;
  clause.kind = detail::WhereClause::Kind::in;
  clause.column = column;
  clause.values = std::move(values);
  wheres_.push_back(std::move(clause));
  return *this;
}

QueryBuilder& QueryBuilder::whereNotIn(const std::string& column, std::vector<SqlValue> values) {
  whereIn(column, std::move(values));
  wheres_.back().kind = detail::WhereClause::Kind::not_in;
  return *this;
}

QueryBuilder& QueryBuilder::whereNull(const std::string& column) {
  sql::wrap(column, "column name");
  detail::WhereClause clause;
  clause.kind = detail::WhereClause::Kind::null;
  clause.column = column;
  wheres_.push_back(std::move(clause));
  return *this;
}

QueryBuilder& QueryBuilder::whereNotNull(const std::string& column) {
  whereNull(column);
  wheres_.back().kind = detail::WhereClause::Kind::not_null;
  return *this;
}

QueryBuilder& QueryBuilder::whereRaw(Raw condition) {
  if (condition.sql.empty()) throw DefinitionError("whereRaw() needs a condition");
  detail::WhereClause clause;
  clause.kind = detail::WhereClause::Kind::raw;
  clause.expression = std::move(condition);
  wheres_.push_back(std::move(clause));
  return *this;
}

QueryBuilder& QueryBuilder::add_exists(bool not_, const QueryBuilder& subquery) {
  if (subquery.operation_ != Operation::select) {
    throw DefinitionError("whereExists() takes a select, not a pending update, insert or delete");
  }
  auto statement = subquery.selectSQL();
  detail::WhereClause clause;
  clause.kind = detail::WhereClause::Kind::raw;
  clause.not_ = not_;
  clause.expression = Raw{"EXISTS (" + statement.sql + ")", std::move(statement.bindings)};
  wheres_.push_back(std::move(clause));
  return *this;
}

QueryBuilder& QueryBuilder::whereExists(const QueryBuilder& subquery) { return add_exists(false, subquery); }

QueryBuilder& QueryBuilder::whereNotExists(const QueryBuilder& subquery) { return add_exists(true, subquery); }

QueryBuilder& QueryBuilder::orderBy(std::initializer_list<std::string> columns) {
  for (const auto& column : columns) orderBy(column);
  return *this;
}

QueryBuilder& QueryBuilder::orderBy(const std::vector<std::string>& columns) {
  for (const auto& column : columns) orderBy(column);
  return *this;
}

QueryBuilder& QueryBuilder::orderBy(const std::string& column, const std::string& direction) {
  sql::wrap(column, "column name");
  const auto dir = lower(direction);
  if (dir != "asc" && dir != "desc") {
    throw DefinitionError("orderBy(\"" + column + "\", \"" + direction + "\"): expected asc or desc");
  }
  order_.emplace_back(column, dir == "asc" ? "ASC" : "DESC");
  return *this;
}

QueryBuilder& QueryBuilder::limit(long long count) {
  if (count < 0) throw DefinitionError("limit() cannot be negative");
  limit_ = count;
  return *this;
}

QueryBuilder& QueryBuilder::offset(long long count) {
  if (count < 0) throw DefinitionError("offset() cannot be negative");
  offset_ = count;
  return *this;
}

QueryBuilder& QueryBuilder::returning(const Columns& columns) {
  for (const auto& column : columns.names()) {
    sql::wrap(column, "column name");
    returning_.push_back(column);
  }
  return *this;
}

Statement QueryBuilder::toSQL() const {
  switch (operation_) {
    case Operation::update: return updateSQL(update_values_);
    case Operation::insert: return insertSQL(insert_rows_);
    case Operation::del: return delSQL();
    case Operation::select: break;
  }
  return selectSQL();
}

Statement QueryBuilder::selectSQL() const {
  sql::Writer out;
  out << "SELECT ";
  if (columns_.empty()) out << "*";
  for (std::size_t i = 0; i < columns_.size(); ++i) out << (i > 0 ? ", " : "") << sql::wrap_aliased(columns_[i]);
  out << " FROM " << sql::from_table(schema_, table_);
  sql::write_joins(out, schema_, extras_.joins);
  write_where(out, wheres_);
  for (std::size_t i = 0; i < order_.size(); ++i) {
    out << (i == 0 ? " ORDER BY " : ", ") << sql::wrap(order_[i].first, "column name") << " "
        << order_[i].second;
  }
  if (limit_) {
    out << " LIMIT ";
    out.param(to_param(*limit_));
  }
  if (offset_) {
    out << " OFFSET ";
    out.param(to_param(*offset_));
  }
  return std::move(out).take();
}

Statement QueryBuilder::updateSQL(const Row& values) const {
  if (values.empty()) throw DefinitionError("update() needs at least one column");
  if (!extras_.joins.empty()) throw DefinitionError("update(): joins are written in a select only");
  sql::Writer out;
  out << "UPDATE " << schema::qualified_table(schema_, table_) << " SET ";
  for (std::size_t i = 0; i < values.size(); ++i) {
    out << (i > 0 ? ", " : "") << sql::wrap(values[i].first, "column name") << " = ";
    out.value(values[i].second);
  }
  write_where(out, wheres_);
  write_returning(out, returning_);
  return std::move(out).take();
}

Statement QueryBuilder::insertSQL(const std::vector<Row>& rows) const {
  if (rows.empty()) throw DefinitionError("insert() needs at least one row");
  // knex sorts the columns and fills a row's missing ones with DEFAULT.
  std::set<std::string> names;
  for (const auto& row : rows) {
    for (const auto& [column, value] : row) names.insert(column);
  }
  sql::Writer out;
  out << "INSERT INTO " << schema::qualified_table(schema_, table_);
  if (names.empty()) {
    if (rows.size() > 1) throw DefinitionError("insert(): several rows without columns");
    out << " DEFAULT VALUES";
  } else {
    out << " (";
    std::size_t i = 0;
    for (const auto& name : names) out << (i++ > 0 ? ", " : "") << sql::wrap(name, "column name");
    out << ") VALUES ";
    for (std::size_t r = 0; r < rows.size(); ++r) {
      out << (r > 0 ? ", (" : "(");
      std::size_t c = 0;
      for (const auto& name : names) {
        if (c++ > 0) out << ", ";
        const auto found = std::find_if(rows[r].begin(), rows[r].end(),
                                        [&](const auto& pair) { return pair.first == name; });
        if (found == rows[r].end()) {
          out << "DEFAULT";
        } else {
          out.value(found->second);
        }
      }
      out << ")";
    }
  }
  if (extras_.on_conflict) sql::write_on_conflict(out, *extras_.on_conflict, {names.begin(), names.end()});
  write_returning(out, returning_);
  return std::move(out).take();
}

Statement QueryBuilder::delSQL() const {
  if (!extras_.joins.empty()) throw DefinitionError("del(): joins are written in a select only");
  sql::Writer out;
  out << "DELETE FROM " << schema::qualified_table(schema_, table_);
  write_where(out, wheres_);
  write_returning(out, returning_);
  return std::move(out).take();
}

Result QueryBuilder::run(const Statement& statement) const {
  return knex_->execute(statement.sql, statement.bindings);
}

QueryBuilder QueryBuilder::update(const Row& values) const {
  if (values.empty()) throw DefinitionError("update() needs at least one column");
  auto copy = pending(Operation::update);
  copy.update_values_ = values;
  return copy;
}

QueryBuilder QueryBuilder::insert(const Row& row) const { return insert(std::vector<Row>{row}); }

QueryBuilder QueryBuilder::insert(const std::vector<Row>& rows) const {
  if (rows.empty()) throw DefinitionError("insert() needs at least one row");
  insertSQL(rows);  // a row set knex refuses is refused here, at the call that wrote it
  auto copy = pending(Operation::insert);
  copy.insert_rows_ = rows;
  return copy;
}

QueryBuilder QueryBuilder::del() const { return pending(Operation::del); }

Result QueryBuilder::first() const {
  QueryBuilder one(*this);
  one.limit_ = 1;
  return run(one.selectSQL());
}

Result QueryBuilder::rows() const {
  if (operation_ == Operation::select) return run(selectSQL());
  if (pending_) {
    // Cleared first: a statement that throws is not run again by the destructor.
    pending_ = false;
    result_ = run(toSQL());
  }
  if (!result_) throw DefinitionError("this builder's statement ran elsewhere: read the rows from the builder that ran it");
  return *result_;
}

}  // namespace sonamu
