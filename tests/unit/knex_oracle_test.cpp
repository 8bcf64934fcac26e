// The comparison the knex-backed builder tests make: only keyword case is ignored, and every
// case knex builds has a C++ test of the same name.
#include "knex_oracle.hpp"

#include <catch2/catch.hpp>

#include <set>

using sonamu::test::upper_outside_quotes;

TEST_CASE("upper_outside_quotes leaves identifiers and literals as they are") {
  CHECK(upper_outside_quotes(R"(alter table "Users" add column "e""x" text default 'it''s a')") ==
        R"(ALTER TABLE "Users" ADD COLUMN "e""x" TEXT DEFAULT 'it''s a')");
  CHECK(upper_outside_quotes(R"(default E'a\\b' on update cascade)") == R"(DEFAULT E'a\\b' ON UPDATE CASCADE)");
  // Only case: spacing, quoting and placeholders still count.
  CHECK(upper_outside_quotes("a  b") != upper_outside_quotes("a b"));
  CHECK(upper_outside_quotes(R"("a")") != upper_outside_quotes("a"));
  CHECK(upper_outside_quotes("$1") != upper_outside_quotes("?"));
}

TEST_CASE("every knex builder case has a C++ test of the same name") {
  std::set<std::string> tests;
  for (const auto& test : Catch::getAllTestCasesSorted(*Catch::getCurrentContext().getConfig())) {
    tests.insert(test.getTestCaseInfo().name);
  }
  for (const auto& name : sonamu::test::knex_case_names()) {
    INFO(name);
    CHECK(tests.count(name) == 1);
  }
}
