#pragma once
/// One SQL statement as the builders produce it: text plus the values bound to `$1`, `$2`, ...

#include <sonamu/builder/param.hpp>

#include <string>
#include <vector>

namespace sonamu {

/// SQL text and its bound parameters, in order.
struct Statement {
  std::string sql;
  std::vector<Param> bindings;

  /// Same text and same bindings.
  bool operator==(const Statement& other) const {
    return sql == other.sql && bindings == other.bindings;
  }
  bool operator!=(const Statement& other) const { return !(*this == other); }
};

}  // namespace sonamu
