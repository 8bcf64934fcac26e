// knex("table") queries, compared with knex 3's `toSQL().toNative()` for PostgreSQL (`$n`
// placeholders) of the same calls in tests/knex/builder_cases.js, same case names, keywords
// compared without regard to case. Values are always bindings.
#include "knex_oracle.hpp"
#include "schema_recording_knex.hpp"

#include <catch2/catch.hpp>

using namespace sonamu;
using sonamu::test::check_against_knex;
using sonamu::test::RecordingKnex;

TEST_CASE("the guide's data migration: update with raw(...) as a value") {
  RecordingKnex knex;
  knex("users").update({{"new_phone", sonamu::raw("old_phone")}, {"b", 1}, {"a", nullptr}});
  check_against_knex(knex.sent);
}

TEST_CASE("the guide's data deletion") {
  RecordingKnex knex;
  knex("users").where("is_deleted", true).del();
  check_against_knex(knex.sent);
}

TEST_CASE("update after where, whereIn and whereNull numbers the bindings in order") {
  RecordingKnex knex;
  knex("users").where("is_deleted", true).whereIn("id", {1, 2}).whereNull("x").update({{"z", "v"}, {"a", 2}});
  check_against_knex(knex.sent);
}

TEST_CASE("insert sorts the columns; missing values of a row are DEFAULT") {
  RecordingKnex knex;
  knex("users").insert({{"z", 1}, {"a", "x"}});
  knex("users").insert(std::vector<Row>{{{"z", 1}, {"a", "x"}}, {{"a", "y"}, {"b", 2}}});
  knex("users").insert(Row{});
  knex("users").returning("id").insert({{"a", 1}});
  check_against_knex(knex.sent);
}

TEST_CASE("select with every kind of condition, order, limit and offset") {
  RecordingKnex knex;
  const Result rows = knex("s.users")
                          .select("id", "email as e")
                          .where("a", ">", 3)
                          .orWhere("b", nullptr)
                          .whereNot("c", 1)
                          .whereNotIn("d", {1})
                          .whereIn("e", {})
                          .whereNotNull("f")
                          .orderBy("id", "desc")
                          .limit(5)
                          .offset(2);
  CHECK(rows.empty());
  check_against_knex(knex.sent);
}

TEST_CASE("the object form of where; an explicit operator binds even NULL") {
  RecordingKnex knex;
  const Result rows = knex("users").where({{"a", 1}, {"b", nullptr}}).where("x", "<>", nullptr);
  (void)rows;
  check_against_knex(knex.sent);
}

TEST_CASE("select everything, first, empty NOT IN") {
  RecordingKnex knex;
  const auto everything = knex("users").toSQL();
  knex("users").select("id").first();
  const auto empty_not_in = knex("users").whereNotIn("id", {}).toSQL();
  check_against_knex({everything, knex.sent.at(0), empty_not_in});
}

TEST_CASE("raw fragments keep their own parameters, renumbered after the ones before") {
  RecordingKnex knex;
  knex("users").whereRaw(sonamu::raw("a = $1 and b = $2", 1, 2)).update({{"x", sonamu::raw("$1 + 1", 5)}});
  check_against_knex(knex.sent);
}

TEST_CASE("placeholders inside quotes, comments and dollar quotes are not renumbered") {
  RecordingKnex knex;
  knex("t").where("a", 1).whereRaw(sonamu::raw("b = $1 AND c <> '$1' AND \"$1\" IS NULL AND d = $$$1$$ -- $1\n AND e = $tag$ $1 $tag$ /* $1 */", 2)).del();
  CHECK(knex.sent.at(0).sql ==
        "DELETE FROM \"t\" WHERE \"a\" = $1 AND b = $2 AND c <> '$1' AND \"$1\" IS NULL AND d = $$$1$$ -- $1\n AND e = $tag$ $1 $tag$ /* $1 */");
}

TEST_CASE("returning, ref and withSchema") {
  RecordingKnex knex;
  knex("users").where("id", 1).returning({"id", "a"}).update({{"a", 1}});
  knex("users").update({{"a", Knex::ref("b")}});
  knex("users").withSchema("s").where("users.id", 1).del();
  check_against_knex(knex.sent);
}

TEST_CASE("hostile values are bound, hostile names quoted") {
  RecordingKnex knex;
  knex("we\"ird").where("c\"ol", "'); DROP TABLE users; --").update({{"유니코드", "\\' --"}});
  check_against_knex(knex.sent);
}

TEST_CASE("query misuse is a DefinitionError at the call") {
  RecordingKnex knex;
  CHECK_THROWS_AS(knex("users").where("a", "= 1; DROP TABLE users; --", 1), DefinitionError);
  CHECK_THROWS_AS(knex("users").where("", 1), DefinitionError);
  CHECK_THROWS_AS(knex("users").orderBy("a", "sideways"), DefinitionError);
  CHECK_THROWS_AS(knex("users").update({}), DefinitionError);
  CHECK_THROWS_AS(knex("users").insert(std::vector<Row>{}), DefinitionError);
  CHECK_THROWS_AS(knex("users").limit(-1), DefinitionError);
  CHECK(knex.sent.empty());
}

TEST_CASE("raw still runs at once, with its values bound") {
  RecordingKnex knex;
  knex.raw("SELECT $1::int", 1);
  knex.schema.raw("SELECT $1::text", "x");
  CHECK(knex.sent == std::vector<Statement>{{"SELECT $1::int", {Param{"1"}}}, {"SELECT $1::text", {Param{"x"}}}});
}
