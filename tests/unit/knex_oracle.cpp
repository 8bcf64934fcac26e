#include "knex_oracle.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <memory>

#ifndef SONAMU_KNEX_BUILDER_CASES
#error "SONAMU_KNEX_BUILDER_CASES must name the JSON file tests/knex/builder_cases.js writes"
#endif

namespace sonamu::test {

namespace {

/// The file, read once; throws (failing the test) when it is missing or not JSON.
const nlohmann::json& cases() {
  static const auto loaded = [] {
    std::ifstream in(SONAMU_KNEX_BUILDER_CASES);
    if (!in) {
      throw std::runtime_error(std::string("cannot read ") + SONAMU_KNEX_BUILDER_CASES +
                               ": it is written by the CTest fixture knex_builder_cases "
                               "(node tests/knex/builder_cases.js; needs scripts/install-knex.sh)");
    }
    return std::make_unique<nlohmann::json>(nlohmann::json::parse(in));
  }();
  return *loaded;
}

Param to_text(const nlohmann::json& value) {
  if (value.is_null()) return std::nullopt;
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return std::string(value.get<bool>() ? "true" : "false");
  if (value.is_number()) return value.dump();
  throw std::runtime_error("knex binding of an unexpected kind: " + value.dump());
}

}  // namespace

std::vector<Statement> knex_case(const std::string& name) {
  const auto& all = cases();
  const auto found = all.find(name);
  if (found == all.end()) {
    throw std::runtime_error("no knex case named \"" + name + "\" in tests/knex/builder_cases.js");
  }
  std::vector<Statement> statements;
  for (const auto& item : *found) {
    Statement statement{item.at("sql").get<std::string>(), {}};
    for (const auto& binding : item.at("bindings")) statement.bindings.push_back(to_text(binding));
    statements.push_back(std::move(statement));
  }
  return statements;
}

std::vector<std::string> knex_case_names() {
  std::vector<std::string> names;
  for (const auto& item : cases().items()) names.push_back(item.key());
  return names;
}

void check_against_knex(const std::vector<Statement>& ours, const Deviations& deviations) {
  const auto name = Catch::getResultCapture().getCurrentTestName();
  const auto expected = knex_case(name);
  INFO("knex case: " << name);
  REQUIRE(ours.size() == expected.size());
  for (std::size_t i = 0; i < ours.size(); ++i) {
    INFO("statement " << i);
    const auto deviation = deviations.find(i);
    if (deviation != deviations.end()) {
      CHECK(expected[i].sql == deviation->second.knex_sql);
      CHECK(ours[i].sql == deviation->second.our_sql);
    } else {
      CHECK(upper_outside_quotes(ours[i].sql) == upper_outside_quotes(expected[i].sql));
    }
    CHECK(ours[i].bindings == expected[i].bindings);
  }
}

}  // namespace sonamu::test
