#pragma once
/// Rows returned by a statement run through the migration handle.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonamu {

/// One value of a result, in PostgreSQL's text format; `std::nullopt` is SQL NULL.
using Value = std::optional<std::string>;

/// The rows and columns a statement produced, plus how many rows it changed.
class Result {
 public:
  Result() = default;
  Result(std::vector<std::string> columns, std::vector<std::vector<Value>> rows,
         std::size_t affected_rows);

  /// Number of rows returned.
  std::size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }

  /// Column names, in the order the statement produced them.
  const std::vector<std::string>& columns() const { return columns_; }

  /// All values of row `index`, in column order. Throws std::out_of_range.
  const std::vector<Value>& row(std::size_t index) const { return rows_.at(index); }

  /// The value of `column` in row `index`. Throws std::out_of_range for an unknown column.
  const Value& at(std::size_t index, std::string_view column) const;

  /// Rows inserted, updated or deleted by the statement (0 for a query).
  std::size_t affected_rows() const { return affected_rows_; }

 private:
  std::vector<std::string> columns_;
  std::vector<std::vector<Value>> rows_;
  std::size_t affected_rows_ = 0;
};

}  // namespace sonamu
