// knex's joins, OR conditions, select aliases, whereExists and insert(...).onConflict(...), as a
// ported data migration writes them, compared with knex 3's `toSQL().toNative()` of the same
// calls in tests/knex/porting_cases.js (same case names).
#include "knex_oracle.hpp"
#include "schema_recording_knex.hpp"

#include <sonamu/builder/definition_error.hpp>

#include <catch2/catch.hpp>

using namespace sonamu;
using sonamu::test::check_against_knex;
using sonamu::test::RecordingKnex;

TEST_CASE("join, leftJoin and innerJoin with on, andOn and orOn; aliases") {
  RecordingKnex knex;
  Result rows = knex("users as u")
                    .select("u.id", "o.total as t")
                    .join("orders as o", "u.id", "o.user_id")
                    .leftJoin("s.items", "items.order_id", "=", "o.id")
                    .innerJoin("x", [](JoinClause& j) { j.on("x.a", "=", "u.a").andOn("x.b", "u.b").orOn("x.c", ">", "u.c"); })
                    .leftJoin("y", [](JoinClause& j) { j.on("y.a", "u.a"); })
                    .where("u.a", 1);
  check_against_knex(knex.sent);
}

TEST_CASE("orWhereNull, orWhereNotNull, orWhere(raw) and orWhereRaw with bindings") {
  RecordingKnex knex;
  Result rows = knex("users")
                    .where("a", 1)
                    .orWhereNull("b")
                    .orWhereNotNull("c")
                    .orWhere(knex.raw("d > ?", 2))
                    .orWhereRaw("?? = ?", "e", 3)
                    .whereRaw("f < ?", 4);
  knex("users").where(knex.raw("a = ?", 1)).orWhereRaw("b is null").del();
  check_against_knex(knex.sent);
}

TEST_CASE("insert with onConflict: merge, merge of columns, merge of values, ignore") {
  RecordingKnex knex;
  knex("t").insert({{"a", 1}, {"id", 2}}).onConflict("id").merge();
  knex("t").insert(std::vector<Row>{{{"a", 1}, {"id", 2}}, {{"a", 3}, {"id", 4}}}).onConflict({"id", "a"}).merge({"a"}).returning("id");
  knex("t").insert({{"a", 1}, {"id", 2}}).onConflict("id").merge(Row{{"a", knex.raw("?? + ?", "t.a", 1)}, {"b", 5}});
  knex("t").insert({{"a", 1}, {"id", 2}}).onConflict("id").ignore();
  knex("t").insert({{"a", 1}, {"id", 2}}).onConflict().ignore();
  check_against_knex(knex.sent);
}

TEST_CASE("select aliases and whereExists with a join inside") {
  RecordingKnex knex;
  Result rows = knex("users")
                    .select("id as user_id", "email AS mail")
                    .whereExists(knex("orders as o").join("items", "items.order_id", "o.id").whereRaw("?? = ??", "o.user_id", "users.id"));
  check_against_knex(knex.sent);
}

TEST_CASE("misplaced joins and conflict clauses are refused before anything runs") {
  RecordingKnex knex;
  CHECK_THROWS_WITH(knex("t").onConflict("id"), Catch::Contains("follows insert"));
  CHECK_THROWS_WITH(knex("t").insert({{"a", 1}}).merge(), Catch::Contains("follows onConflict"));
  CHECK_THROWS_WITH(knex("t").insert({{"a", 1}}).onConflict("a").ignore().merge(), Catch::Contains("given already"));
  CHECK_THROWS_WITH(knex("t").join("u", [](JoinClause&) {}), Catch::Contains("needs an on() condition"));
  CHECK_THROWS_WITH(knex("t").join("u", "a", "; drop", "b"), Catch::Contains("not permitted"));
  CHECK_THROWS_WITH(knex("t").join("u", "u.a", "t.a").del().rows(), Catch::Contains("joins are written in a select only"));
  CHECK(knex.sent.empty());
}
