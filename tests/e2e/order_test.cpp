// Pending migrations that sort before the newest applied one (a branch merged late): status
// and run say so; with outOfOrder "refuse" run stops before changing anything.
#include "e2e.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace sonamu::test;
using json = nlohmann::json;

namespace {

/// The first three of the guide's migrations applied, then the sixth recorded as if a later
/// branch had been merged and deployed first: the fourth and fifth are late.
void merge_late(const TestDatabase& db) {
  REQUIRE(migrate(db, {"run", "--to", "20251220143200_alter_users_add1"}).exit_code == 0);
  REQUIRE(migrate(db, {"mark", "20251220150100_alter_posts_add2", "--yes"}).exit_code == 0);
}

const std::string warning_4 =
    "⚠ 20251220143300_alter_posts_add1.cpp is pending but sorts before 20251220150100_alter_posts_add2.cpp, the "
    "newest applied migration (a branch merged late?): it runs after it\n";
const std::string warning_5 =
    "⚠ 20251220150000_alter_users_add2.cpp is pending but sorts before 20251220150100_alter_posts_add2.cpp, the "
    "newest applied migration (a branch merged late?): it runs after it\n";

}  // namespace

TEST_CASE("status and run flag a pending migration that sorts before the newest applied one") {
  TestDatabase db;
  merge_late(db);
  const auto status = migrate(db, {"status"});
  CHECK(status.exit_code == 0);
  CHECK_THAT(status.out, Catch::EndsWith("Pending migrations:\n"
                                         "  ⏳ 20251220143300_alter_posts_add1.cpp\n"
                                         "  ⏳ 20251220150000_alter_users_add2.cpp\n" +
                                         warning_4 + warning_5));
  const auto document = json::parse(migrate(db, {"status", "--json"}).out);
  REQUIRE(document["pending"].size() == 2);
  CHECK(document["pending"][0]["sorts_before_applied"] == true);

  const auto run = migrate(db, {"run"});
  CHECK(run.exit_code == 0);
  CHECK(run.err == warning_4 + warning_5);
  CHECK(run.out == "Batch 3 run: 2 migrations\n"
                   "✅ 20251220143300_alter_posts_add1.cpp\n"
                   "✅ 20251220150000_alter_users_add2.cpp\n");
  CHECK_THAT(migrate(db, {"status"}).out, Catch::EndsWith("No pending migrations\n"));
}

TEST_CASE("outOfOrder \"refuse\": run stops before changing anything, exit 4") {
  TestDatabase db;
  merge_late(db);
  ScratchDirectory project("sonamu-order");
  std::ofstream(project.path() / "sonamu.config.json") << R"({"migrations": {"outOfOrder": "refuse"}})";
  const std::string before = recorded(db);
  const auto run = migrate(db, {"run"}, SONAMU_BINARY, project.string());
  CHECK(run.exit_code == 4);
  CHECK(run.err ==
        "Error: Refusing to apply 20251220143300_alter_posts_add1.cpp, 20251220150000_alter_users_add2.cpp: "
        "pending, but sorting before 20251220150100_alter_posts_add2.cpp, the newest applied migration (a branch "
        "merged late?); rename it after that one, or set outOfOrder to \"warn\" to apply it anyway\n");
  CHECK(recorded(db) == before);
  // status still shows them, with the same warning.
  CHECK_THAT(migrate(db, {"status"}, SONAMU_BINARY, project.string()).out, Catch::EndsWith(warning_4 + warning_5));
}
