// Finding what a rollback drops, and how the warning reads.
#include "cli/format.hpp"
#include "core/data_loss.hpp"
#include "engine/rehearsal.hpp"

#include <catch2/catch.hpp>

using namespace sonamu;

namespace {

std::vector<std::string> shown(const std::vector<Drop>& drops) {
  std::vector<std::string> names;
  for (const auto& drop : drops) names.push_back(drop.display + "|" + drop.table + "|" + drop.column.value_or("-"));
  return names;
}

}  // namespace

TEST_CASE("drops are found in the builder's statements and in hand-written SQL") {
  CHECK(shown(drops_in(R"(DROP TABLE "users")")) == std::vector<std::string>{R"(users|"users"|-)"});
  CHECK(shown(drops_in(R"(DROP TABLE IF EXISTS "s"."users")")) == std::vector<std::string>{R"(s.users|"s"."users"|-)"});
  CHECK(shown(drops_in(R"(ALTER TABLE "users" DROP COLUMN "d", DROP COLUMN "e")")) ==
        std::vector<std::string>{R"(users.d|"users"|"d")", R"(users.e|"users"|"e")"});
  CHECK(shown(drops_in("alter table Users drop column IF EXISTS Phone")) ==
        std::vector<std::string>{R"(users.phone|"users"|"phone")"});
  CHECK(shown(drops_in(R"(DROP TABLE "we""ird")")) == std::vector<std::string>{R"(we"ird|"we""ird"|-)"});
  CHECK(drops_in(R"(ALTER TABLE "users" ADD COLUMN "phone" varchar(20))").empty());
  CHECK(drops_in(R"(CREATE TABLE "users" ("id" serial))").empty());
}

TEST_CASE("rehearsing a down function collects its drops without a server") {
  const auto drops = rehearse([](Knex& knex) {
    knex.schema.alterTable("users", [](auto& table) { table.dropColumns("phone"); });
    knex.schema.dropTable("posts");
  }).drops;
  CHECK(shown(drops) == std::vector<std::string>{R"(users.phone|"users"|"phone")", R"(posts|"posts"|-)"});
}

TEST_CASE("the data-loss warning reads as the README shows it") {
  CHECK(cli::thousands(12345) == "12,345");
  CHECK(cli::thousands(1234567) == "1,234,567");
  CHECK(cli::thousands(999) == "999");
  CHECK(cli::data_at_risk_line({"users.phone", true, 12345}) == "⚠ users.phone: 12,345 non-null values will be deleted");
  CHECK(cli::data_at_risk_line({"posts", false, 1}) == "⚠ posts: 1 row will be deleted");
  CHECK(cli::data_at_risk_line({"posts", false, 2}, {false, false}) == "[warning] posts: 2 rows will be deleted");
  CHECK(cli::batch_line(Direction::down, 2, 1, true) == "Batch 2 would be rolled back: 1 migration");
  CHECK(cli::batch_line(Direction::up, 3, 2, true) == "Batch 3 would run: 2 migrations");
  CHECK(cli::batch_line(Direction::down, 0, 4) == "Rolled back: 4 migrations");
}
