#include "builder/sql_text.hpp"

#include <sonamu/builder/column_builder.hpp>
#include <sonamu/builder/definition_error.hpp>
#include <sonamu/builder/table_builder.hpp>

#include <algorithm>
#include <vector>

namespace sonamu {

namespace {

bool is_increments(const detail::ColumnSpec& spec) {
  return spec.type == detail::ColumnType::increments || spec.type == detail::ColumnType::big_increments;
}

}  // namespace

ColumnBuilder& ColumnBuilder::primary(const std::string& constraintName) {
  // knex skips index-like modifiers on increments: the column is a primary key already.
  if (is_increments(spec_)) return *this;
  table_->primary(spec_.name, constraintName);
  return *this;
}

ColumnBuilder& ColumnBuilder::notNullable() {
  spec_.nullable = false;
  return *this;
}

ColumnBuilder& ColumnBuilder::nullable() {
  spec_.nullable = true;
  return *this;
}

ColumnBuilder& ColumnBuilder::defaultTo(SqlValue value) {
  spec_.default_value = std::move(value);
  return *this;
}

ColumnBuilder& ColumnBuilder::unique(const std::string& indexName) {
  if (is_increments(spec_)) return *this;
  table_->unique(spec_.name, indexName);
  return *this;
}

ColumnBuilder& ColumnBuilder::index(const std::string& indexName, IndexOptions options) {
  if (is_increments(spec_)) return *this;
  table_->index(spec_.name, indexName, std::move(options));
  return *this;
}

ColumnBuilder& ColumnBuilder::comment(const std::string& text) {
  spec_.comment = text;
  return *this;
}

namespace {

std::string number_text(double value) {
  const auto param = to_param(value);
  return *param;
}

std::string literal_list(const std::vector<std::string>& values, const char* method) {
  if (values.empty()) throw DefinitionError(std::string(method) + "() needs at least one value");
  std::string text;
  for (const auto& value : values) text += (text.empty() ? "" : ",") + sql::literal(value);
  return text;
}

}  // namespace

ColumnBuilder& ColumnBuilder::add_check(const std::string& condition, const std::string& constraintName) {
  spec_.checks.push_back(detail::ColumnCheck{condition, constraintName});
  return *this;
}

ColumnBuilder& ColumnBuilder::checkPositive(const std::string& constraintName) {
  return add_check(sql::quote(spec_.name, "column name") + " > 0", constraintName);
}

ColumnBuilder& ColumnBuilder::checkNegative(const std::string& constraintName) {
  return add_check(sql::quote(spec_.name, "column name") + " < 0", constraintName);
}

ColumnBuilder& ColumnBuilder::checkIn(const std::vector<std::string>& values, const std::string& constraintName) {
  return add_check(sql::quote(spec_.name, "column name") + " IN (" + literal_list(values, "checkIn") + ")",
                   constraintName);
}

ColumnBuilder& ColumnBuilder::checkNotIn(const std::vector<std::string>& values, const std::string& constraintName) {
  return add_check(sql::quote(spec_.name, "column name") + " NOT IN (" + literal_list(values, "checkNotIn") + ")",
                   constraintName);
}

ColumnBuilder& ColumnBuilder::checkBetween(double low, double high, const std::string& constraintName) {
  return add_check(sql::quote(spec_.name, "column name") + " BETWEEN " + number_text(low) + " AND " +
                       number_text(high),
                   constraintName);
}

ColumnBuilder& ColumnBuilder::checkBetween(const std::vector<std::pair<double, double>>& intervals,
                                          const std::string& constraintName) {
  if (intervals.empty()) throw DefinitionError("checkBetween() needs at least one interval");
  std::string condition;
  for (const auto& [low, high] : intervals) {
    condition += (condition.empty() ? "" : " OR ") + sql::quote(spec_.name, "column name") + " BETWEEN " +
                 number_text(low) + " AND " + number_text(high);
  }
  return add_check(condition, constraintName);
}

ColumnBuilder& ColumnBuilder::checkLength(const std::string& op, int length, const std::string& constraintName) {
  static const std::vector<std::string> permitted{"=", "<>", "!=", "<", "<=", ">", ">="};
  if (std::find(permitted.begin(), permitted.end(), op) == permitted.end()) {
    throw DefinitionError("checkLength(\"" + op + "\"): the operator is not permitted");
  }
  return add_check("length(" + sql::quote(spec_.name, "column name") + ") " + op + " " + std::to_string(length),
                   constraintName);
}

ColumnBuilder& ColumnBuilder::checkRegex(const std::string& regex, const std::string& constraintName) {
  return add_check(sql::quote(spec_.name, "column name") + " ~ " + sql::literal(regex), constraintName);
}

ColumnBuilder& ColumnBuilder::references(const std::string& target) {
  if (foreign_ == nullptr) {
    detail::TableStatement statement;
    statement.kind = detail::TableStatement::Kind::foreign;
    statement.foreign.columns = {spec_.name};
    foreign_ = &table_->add_statement(std::move(statement)).foreign;
  }
  detail::set_references(*foreign_, target);
  return *this;
}

detail::ForeignKey& ColumnBuilder::foreign_key(const char* method) {
  if (foreign_ == nullptr) {
    throw DefinitionError(std::string(method) + "() on column \"" + spec_.name +
                          "\" needs references() first");
  }
  return *foreign_;
}

ColumnBuilder& ColumnBuilder::inTable(const std::string& table) {
  ForeignBuilder(foreign_key("inTable")).inTable(table);
  return *this;
}

ColumnBuilder& ColumnBuilder::onDelete(const std::string& action) {
  ForeignBuilder(foreign_key("onDelete")).onDelete(action);
  return *this;
}

ColumnBuilder& ColumnBuilder::onUpdate(const std::string& action) {
  ForeignBuilder(foreign_key("onUpdate")).onUpdate(action);
  return *this;
}

ColumnBuilder& ColumnBuilder::withKeyName(const std::string& name) {
  ForeignBuilder(foreign_key("withKeyName")).withKeyName(name);
  return *this;
}

ColumnBuilder& ColumnBuilder::alter(bool alterNullable, bool alterType) {
  if (table_->method() != TableBuilder::Method::alter) {
    throw DefinitionError("alter() on column \"" + spec_.name + "\" is only possible in alterTable");
  }
  spec_.alter = true;
  spec_.alter_nullable = alterNullable;
  spec_.alter_type = alterType;
  return *this;
}

}  // namespace sonamu
