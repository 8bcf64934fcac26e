#pragma once
// A migration handle that records what the builders send instead of running it.

#include <sonamu/knex.hpp>

#include <string>
#include <vector>

namespace sonamu::test {

/// Keeps every statement; answers each with `reply` (empty by default).
class RecordingKnex : public Knex {
 public:
  std::vector<Statement> sent;
  Result reply;

  /// The SQL texts sent so far, in order.
  std::vector<std::string> sql() const {
    std::vector<std::string> texts;
    for (const auto& statement : sent) texts.push_back(statement.sql);
    return texts;
  }

 protected:
  Result execute(const std::string& sql, const std::vector<Param>& params) override {
    sent.push_back({sql, params});
    return reply;
  }
};

}  // namespace sonamu::test
