#pragma once
/// A list of column names, written as one name or as a braced list, as knex accepts both.

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace sonamu {

/// `"user_id"`, `{"a", "b"}` or a std::vector of names.
class Columns {
 public:
  Columns() = default;
  Columns(const char* name) : names_{std::string(name)} {}          // NOLINT: implicit on purpose
  Columns(std::string name) : names_{std::move(name)} {}            // NOLINT: implicit on purpose
  Columns(std::initializer_list<std::string> names) : names_(names) {}
  Columns(std::vector<std::string> names) : names_(std::move(names)) {}  // NOLINT

  /// The names, in the order given.
  const std::vector<std::string>& names() const { return names_; }
  /// True when no name was given.
  bool empty() const { return names_.empty(); }

 private:
  std::vector<std::string> names_;
};

}  // namespace sonamu
