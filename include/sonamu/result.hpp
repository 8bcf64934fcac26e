#pragma once
/// Rows returned by a statement run through the migration handle.

#include <sonamu/value_traits.hpp>

#include <charconv>
#include <cstddef>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace sonamu {

/// One value of a result, in PostgreSQL's text format; `std::nullopt` is SQL NULL.
using Value = std::optional<std::string>;

namespace detail {
template <typename T>
struct is_optional : std::false_type {};
template <typename T>
struct is_optional<std::optional<T>> : std::true_type {};

/// Reads a non-NULL text value as T.
template <typename T>
T value_from_text(const std::string& text, std::string_view column) {
  if constexpr (std::is_same_v<T, std::string>) {
    return text;
  } else if constexpr (std::is_same_v<T, bool>) {
    if (text == "t" || text == "true") return true;
    if (text == "f" || text == "false") return false;
    throw std::invalid_argument("column '" + std::string(column) + "' is not a boolean: " + text);
  } else if constexpr (std::is_integral_v<T>) {
    T number{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc() || end != text.data() + text.size()) {
      throw std::invalid_argument("column '" + std::string(column) + "' is not an integer of this size: " + text);
    }
    return number;
  } else if constexpr (std::is_floating_point_v<T>) {
    // strtod reads PostgreSQL's NaN, Infinity and -Infinity as well as numbers.
    char* end = nullptr;
    const double number = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size()) {
      throw std::invalid_argument("column '" + std::string(column) + "' is not a number: " + text);
    }
    return static_cast<T>(number);
  } else {
    return ValueTraits<T>::from_text(text);
  }
}
}  // namespace detail

/// One value of a row, with its column name: `row["email"].as<std::string>()`.
class Field {
 public:
  Field(std::string_view column, const Value& value) : column_(column), value_(&value) {}

  /// True for SQL NULL.
  bool is_null() const { return !value_->has_value(); }
  /// The text form, `std::nullopt` for NULL.
  const Value& text() const { return *value_; }
  /// The value as T: std::string, bool, integers, floating point, Uuid, system_clock time
  /// points, nlohmann::json (with <sonamu/json.hpp>), or std::optional of any of these for a
  /// column that may be NULL. Throws std::invalid_argument for NULL into a non-optional T or
  /// text that is not a T.
  template <typename T>
  T as() const {
    if constexpr (detail::is_optional<T>::value) {
      if (is_null()) return std::nullopt;
      return detail::value_from_text<typename T::value_type>(**value_, column_);
    } else {
      if (is_null()) {
        throw std::invalid_argument("column '" + std::string(column_) +
                                    "' is NULL; read it as std::optional<T>");
      }
      return detail::value_from_text<T>(**value_, column_);
    }
  }

 private:
  std::string_view column_;
  const Value* value_;
};

/// One row of a Result: values by column name, `row["id"].as<int>()`.
class RowView {
 public:
  RowView(const std::vector<std::string>& columns, const std::vector<Value>& values)
      : columns_(&columns), values_(&values) {}
  /// The value of `column`. Throws std::out_of_range for an unknown column.
  Field operator[](std::string_view column) const;
  /// The values in column order, as text.
  const std::vector<Value>& values() const { return *values_; }

 private:
  const std::vector<std::string>* columns_;
  const std::vector<Value>* values_;
};

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

  /// Row `index` by column name: `rows[0]["email"]`. Throws std::out_of_range.
  RowView operator[](std::size_t index) const { return RowView(columns_, rows_.at(index)); }

  /// The value of `column` in row `index`. Throws std::out_of_range for an unknown column.
  const Value& at(std::size_t index, std::string_view column) const;

  /// Rows inserted, updated or deleted by the statement (0 for a query).
  std::size_t affected_rows() const { return affected_rows_; }

  /// Iteration over the rows: `for (auto row : knex("users").rows()) row["id"].as<int>()`.
  class iterator {
   public:
    iterator(const Result* result, std::size_t index) : result_(result), index_(index) {}
    RowView operator*() const { return (*result_)[index_]; }
    iterator& operator++() {
      ++index_;
      return *this;
    }
    bool operator==(const iterator& other) const { return index_ == other.index_; }
    bool operator!=(const iterator& other) const { return index_ != other.index_; }

   private:
    const Result* result_;
    std::size_t index_;
  };
  iterator begin() const { return iterator(this, 0); }
  iterator end() const { return iterator(this, rows_.size()); }

 private:
  std::vector<std::string> columns_;
  std::vector<std::vector<Value>> rows_;
  std::size_t affected_rows_ = 0;
};

}  // namespace sonamu
