#include "pg/bound_rows.hpp"

#include <stdexcept>
#include <utility>

namespace sonamu::pg {

BoundRows::BoundRows(std::vector<std::string> column_types) : column_types_(std::move(column_types)) {}

void BoundRows::add(std::vector<std::optional<std::string>> row) {
  if (row.size() != column_types_.size()) throw std::logic_error("BoundRows: a row of the wrong width");
  for (auto& value : row) values_.push_back(std::move(value));
}

std::string BoundRows::values_sql() const {
  // values_ holds the rows one after another: parameter N is its Nth value.
  const std::size_t width = column_types_.size();
  std::string sql;
  for (std::size_t first = 0; first < values_.size(); first += width) {
    sql += first == 0 ? "(" : ", (";
    for (std::size_t column = 0; column < width; ++column) {
      if (column > 0) sql += ", ";
      sql += "$" + std::to_string(first + column + 1) + "::" + column_types_[column];
    }
    sql += ")";
  }
  return sql;
}

std::vector<const char*> BoundRows::parameters() const {
  std::vector<const char*> pointers;
  pointers.reserve(values_.size());
  for (const auto& value : values_) pointers.push_back(value ? value->c_str() : nullptr);
  return pointers;
}

}  // namespace sonamu::pg
