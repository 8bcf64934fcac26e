#pragma once
/// The conditions of a join, as knex's `join(table, function () { this.on(...) })` writes them.

#include <string>
#include <vector>

namespace sonamu {

/// `on`, `andOn` and `orOn` between two columns, in the order written:
///
///     knex("users").join("orders as o", [](JoinClause& j) {
///       j.on("o.user_id", "=", "users.id").andOn("o.shop", "users.shop").orOn("o.x", ">", "users.x");
///     });
class JoinClause {
 public:
  /// One condition: `first op second`, joined to the previous one with AND or OR.
  struct Condition {
    bool or_ = false;
    std::string first;
    std::string op;
    std::string second;
  };

  /// first = second.
  JoinClause& on(const std::string& first, const std::string& second) { return on(first, "=", second); }
  /// first op second, op a permitted comparison (=, <>, <, ...).
  JoinClause& on(const std::string& first, const std::string& op, const std::string& second);
  /// The same as on.
  JoinClause& andOn(const std::string& first, const std::string& second) { return on(first, second); }
  JoinClause& andOn(const std::string& first, const std::string& op, const std::string& second) {
    return on(first, op, second);
  }
  /// Joined with OR.
  JoinClause& orOn(const std::string& first, const std::string& second) { return orOn(first, "=", second); }
  JoinClause& orOn(const std::string& first, const std::string& op, const std::string& second);

  /// The conditions, in the order written.
  const std::vector<Condition>& conditions() const { return conditions_; }

 private:
  std::vector<Condition> conditions_;
};

}  // namespace sonamu
