// verify's comparison of the catalog before up and after down: only the objects the
// verifying transaction may have changed count.
#include "core/catalog.hpp"

#include <catch2/catch.hpp>

using namespace sonamu;

TEST_CASE("the catalog difference keeps the lines of the objects changed here, both ways") {
  const Catalog before = {{"relation public.users (table)", "relation 1"},
                          {"column public.users.email text NULL", "relation 1"},
                          {"relation app.gone (table)", "relation 7"}};
  const Catalog after = {{"relation public.users (table)", "relation 1"},
                         {"column public.users.email text NOT NULL", "relation 1"},
                         {"relation app.zz (table)", "relation 8"},
                         {"type public.mood enum ('ok')", "type 9"}};
  CHECK(differing_objects(before, after) == std::set<std::string>{"relation 1", "relation 7", "relation 8", "type 9"});

  const auto ours = catalog_difference(before, after, {"relation 1", "type 9"});
  CHECK(ours.left_behind ==
        std::vector<std::string>{"column public.users.email text NOT NULL", "type public.mood enum ('ok')"});
  CHECK(ours.missing == std::vector<std::string>{"column public.users.email text NULL"});

  // Another session's tables, appearing and vanishing: nothing of the migration's.
  const auto none = catalog_difference(before, after, {});
  CHECK(none.left_behind.empty());
  CHECK(none.missing.empty());
}
