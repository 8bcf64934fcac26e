// How an environment name is read for the production guards: spelling never turns them off.
#include "core/environment_name.hpp"

#include <catch2/catch.hpp>

using namespace sonamu;

TEST_CASE("environment names: production in any case, with surrounding spaces, is production") {
  for (const std::string name : {"production", "PRODUCTION", "Production", "production ", " production\t"}) {
    INFO(name);
    CHECK(environment_kind(name) == EnvironmentKind::production);
    CHECK(canonical_environment(name) == "production");
  }
}

TEST_CASE("environment names: a name whose first word is prod, prd or production is near production") {
  for (const std::string name : {"prod", "PROD", "prd", "Prd-eu", "production-eu", "production_2", " prod ",
                                 "prod2", "Production.EU"}) {
    INFO(name);
    CHECK(environment_kind(name) == EnvironmentKind::near_production);
  }
  CHECK(canonical_environment(" production-eu ") == "production-eu");
}

TEST_CASE("environment names: others keep their spelling, trimmed") {
  for (const std::string name : {"development", "staging", "Staging", "test", "preprod", "product", "prodigy"}) {
    INFO(name);
    CHECK(environment_kind(name) == EnvironmentKind::other);
  }
  CHECK(canonical_environment(" Staging ") == "Staging");
  CHECK(canonical_environment("   ").empty());
}
