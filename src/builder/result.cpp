#include <sonamu/result.hpp>

#include <stdexcept>

namespace sonamu {

Result::Result(std::vector<std::string> columns, std::vector<std::vector<Value>> rows,
               std::size_t affected_rows)
    : columns_(std::move(columns)), rows_(std::move(rows)), affected_rows_(affected_rows) {}

const Value& Result::at(std::size_t index, std::string_view column) const {
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i] == column) return rows_.at(index).at(i);
  }
  throw std::out_of_range("no column named '" + std::string(column) + "' in the result");
}

}  // namespace sonamu

namespace sonamu {

Field RowView::operator[](std::string_view column) const {
  for (std::size_t i = 0; i < columns_->size(); ++i) {
    if ((*columns_)[i] == column) return Field((*columns_)[i], values_->at(i));
  }
  throw std::out_of_range("no column named '" + std::string(column) + "' in the result");
}

}  // namespace sonamu
