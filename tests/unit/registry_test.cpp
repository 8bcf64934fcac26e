// The registry: sorting, duplicates and malformed file names.
#include "core/registry.hpp"

#include <catch2/catch.hpp>

using namespace sonamu;

namespace {
void noop(Knex&) {}
}  // namespace

TEST_CASE("migrations come out sorted by name, whatever the registration order") {
  Registry registry;
  registry.add("/m/20250101000002_c.cpp", noop, noop);
  registry.add("/m/20250101000000_a.cpp", noop, noop);
  registry.add("/m/20250101000001_b.cpp", noop, noop);
  REQUIRE(registry.problems().empty());
  REQUIRE(registry.migrations().size() == 3);
  CHECK(registry.migrations()[0].stem == "20250101000000_a");
  CHECK(registry.migrations()[2].stem == "20250101000002_c");
  REQUIRE(registry.find("20250101000001_b") != nullptr);
  CHECK(registry.find("20250101000001_b")->source_file == "/m/20250101000001_b.cpp");
  CHECK(registry.find("20250101000009_z") == nullptr);
}

TEST_CASE("a duplicate name is a problem naming both files") {
  Registry registry;
  registry.add("/one/20250101000000_a.cpp", noop, noop);
  registry.add("/two/20250101000000_a.cpp", noop, noop);
  REQUIRE(registry.problems().size() == 1);
  CHECK_THAT(registry.problems()[0], Catch::Contains("Duplicate migration name '20250101000000_a'"));
  CHECK_THAT(registry.problems()[0], Catch::Contains("/one/20250101000000_a.cpp"));
  CHECK_THAT(registry.problems()[0], Catch::Contains("/two/20250101000000_a.cpp"));
  CHECK(registry.migrations().size() == 1);
}

TEST_CASE("a malformed file name is a problem, and the migration is left out") {
  Registry registry;
  registry.add("/m/add_users.cpp", noop, noop);
  REQUIRE(registry.problems().size() == 1);
  CHECK_THAT(registry.problems()[0], Catch::Contains("Invalid migration file name 'add_users'"));
  CHECK(registry.migrations().empty());
}
