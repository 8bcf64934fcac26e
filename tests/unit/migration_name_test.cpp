// Migration names: stems, extensions, and which file names are accepted.
#include "core/migration_name.hpp"

#include <catch2/catch.hpp>

using namespace sonamu;

TEST_CASE("the stem drops one extension, whichever tool wrote it") {
  CHECK(migration_stem("20251220143200_alter_users_add1.ts") == "20251220143200_alter_users_add1");
  CHECK(migration_stem("20251220143200_alter_users_add1.cpp") == "20251220143200_alter_users_add1");
  CHECK(migration_stem("20251220143200_alter_users_add1") == "20251220143200_alter_users_add1");
}

TEST_CASE("the stem of a path is its base name without extension") {
  CHECK(stem_of_path("/a/b/migrations/20251220143022_create__users.cpp") ==
        "20251220143022_create__users");
  CHECK(stem_of_path("20251220143022_create__users.cpp") == "20251220143022_create__users");
}

TEST_CASE("well-formed names are accepted") {
  CHECK(migration_name_problem("20251220143022_create__users").empty());
  CHECK(migration_name_problem("20251231235959_a-b_C9").empty());
}

TEST_CASE("malformed names are refused with a reason") {
  CHECK_THAT(migration_name_problem("create_users"), Catch::Contains("YYYYMMDDHHMMSS_name"));
  CHECK_THAT(migration_name_problem("2025122014302_create"), Catch::Contains("14-digit"));
  CHECK_THAT(migration_name_problem("20251220143022create"), Catch::Contains("'_'"));
  CHECK_THAT(migration_name_problem("20251320143022_x"), Catch::Contains("not a valid date"));
  CHECK_THAT(migration_name_problem("20251220246022_x"), Catch::Contains("not a valid date"));
  CHECK_THAT(migration_name_problem("20251220143022_a b"), Catch::Contains("only letters"));
  CHECK_THAT(migration_name_problem("20251220143022_"), Catch::Contains("too short"));
}

TEST_CASE("a migration is recorded under its own file's extension unless one is configured") {
  using sonamu::recorded_name;
  CHECK(recorded_name("20260101000000_a", "/p/migrations/20260101000000_a.cpp", "") == "20260101000000_a.cpp");
  CHECK(recorded_name("20260101000000_b", "/p/migrations/20260101000000_b.sql", "") == "20260101000000_b.sql");
  // A project ported from knex keeps the names its records have.
  CHECK(recorded_name("20260101000000_b", "/p/migrations/20260101000000_b.sql", ".ts") == "20260101000000_b.ts");
  CHECK(recorded_name("20260101000000_a", "/p/migrations/20260101000000_a.cpp", ".cpp") == "20260101000000_a.cpp");
  // Unknown to this binary (a record only): the C++ default.
  CHECK(recorded_name("20260101000000_c", "", "") == "20260101000000_c.cpp");
}
