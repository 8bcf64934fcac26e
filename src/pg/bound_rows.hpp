#pragma once
// Rows for an INSERT ... VALUES list, every value bound as a parameter.

#include <optional>
#include <string>
#include <vector>

namespace sonamu::pg {

/// A few rows of bound values, each column cast to its SQL type in the statement itself, so the
/// server resolves no parameter types from context.
class BoundRows {
 public:
  /// One SQL type per column, in order (`text`, `integer`, `timestamptz`, ...).
  explicit BoundRows(std::vector<std::string> column_types);

  /// A row of values in column order; nullopt is SQL NULL.
  void add(std::vector<std::optional<std::string>> row);

  /// `($1::text, $2::integer), ($3::text, $4::integer)`: what follows VALUES.
  std::string values_sql() const;

  /// The values as libpq takes them, a null pointer for NULL. Valid while this object lives
  /// and no row is added.
  std::vector<const char*> parameters() const;

 private:
  std::vector<std::string> column_types_;
  std::vector<std::optional<std::string>> values_;  ///< row after row
};

}  // namespace sonamu::pg
