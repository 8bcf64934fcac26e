// knex("table") queries, compared with knex 3's `toSQL()` for PostgreSQL (keywords in upper
// case, knex's `?` numbered as PostgreSQL's `$n`). Values are always bindings.
#include "schema_recording_knex.hpp"

#include <catch2/catch.hpp>

using namespace sonamu;
using sonamu::test::RecordingKnex;

TEST_CASE("the guide's data migration: update with raw(...) as a value") {
  RecordingKnex knex;
  knex("users").update({{"new_phone", sonamu::raw("old_phone")}, {"b", 1}, {"a", nullptr}});
  CHECK(knex.sent.at(0) ==
        Statement{R"(UPDATE "users" SET "new_phone" = old_phone, "b" = $1, "a" = $2)", {Param{"1"}, Param{}}});
}

TEST_CASE("the guide's data deletion") {
  RecordingKnex knex;
  knex("users").where("is_deleted", true).del();
  CHECK(knex.sent.at(0) == Statement{R"(DELETE FROM "users" WHERE "is_deleted" = $1)", {Param{"true"}}});
}

TEST_CASE("update after where, whereIn and whereNull numbers the bindings in order") {
  RecordingKnex knex;
  knex("users").where("is_deleted", true).whereIn("id", {1, 2}).whereNull("x").update({{"z", "v"}, {"a", 2}});
  CHECK(knex.sent.at(0) ==
        Statement{R"(UPDATE "users" SET "z" = $1, "a" = $2 WHERE "is_deleted" = $3 AND "id" IN ($4, $5) AND "x" IS NULL)",
                  {Param{"v"}, Param{"2"}, Param{"true"}, Param{"1"}, Param{"2"}}});
}

TEST_CASE("insert sorts the columns; missing values of a row are DEFAULT") {
  RecordingKnex knex;
  knex("users").insert({{"z", 1}, {"a", "x"}});
  knex("users").insert(std::vector<Row>{{{"z", 1}, {"a", "x"}}, {{"a", "y"}, {"b", 2}}});
  knex("users").insert(Row{});
  knex("users").returning("id").insert({{"a", 1}});
  CHECK(knex.sent.at(0) ==
        Statement{R"(INSERT INTO "users" ("a", "z") VALUES ($1, $2))", {Param{"x"}, Param{"1"}}});
  CHECK(knex.sent.at(1) ==
        Statement{R"(INSERT INTO "users" ("a", "b", "z") VALUES ($1, DEFAULT, $2), ($3, $4, DEFAULT))",
                  {Param{"x"}, Param{"1"}, Param{"y"}, Param{"2"}}});
  CHECK(knex.sent.at(2).sql == R"(INSERT INTO "users" DEFAULT VALUES)");
  CHECK(knex.sent.at(3) ==
        Statement{R"(INSERT INTO "users" ("a") VALUES ($1) RETURNING "id")", {Param{"1"}}});
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
  CHECK(knex.sent.at(0) ==
        Statement{R"(SELECT "id", "email" AS "e" FROM "s"."users" WHERE "a" > $1 OR "b" IS NULL AND NOT "c" = $2 AND "d" NOT IN ($3) AND 1 = $4 AND "f" IS NOT NULL ORDER BY "id" DESC LIMIT $5 OFFSET $6)",
                  {Param{"3"}, Param{"1"}, Param{"1"}, Param{"0"}, Param{"5"}, Param{"2"}}});
}

TEST_CASE("the object form of where; an explicit operator binds even NULL") {
  RecordingKnex knex;
  const Result rows = knex("users").where({{"a", 1}, {"b", nullptr}}).where("x", "<>", nullptr);
  (void)rows;
  CHECK(knex.sent.at(0) ==
        Statement{R"(SELECT * FROM "users" WHERE "a" = $1 AND "b" IS NULL AND "x" <> $2)", {Param{"1"}, Param{}}});
}

TEST_CASE("select everything, first, empty NOT IN") {
  RecordingKnex knex;
  CHECK(knex("users").toSQL() == Statement{R"(SELECT * FROM "users")", {}});
  knex("users").select("id").first();
  CHECK(knex.sent.at(0) == Statement{R"(SELECT "id" FROM "users" LIMIT $1)", {Param{"1"}}});
  CHECK(knex("users").whereNotIn("id", {}).toSQL() == Statement{R"(SELECT * FROM "users" WHERE 1 = $1)", {Param{"1"}}});
}

TEST_CASE("raw fragments keep their own parameters, renumbered after the ones before") {
  RecordingKnex knex;
  knex("users").whereRaw(sonamu::raw("a = $1 and b = $2", 1, 2)).update({{"x", sonamu::raw("$1 + 1", 5)}});
  CHECK(knex.sent.at(0) ==
        Statement{R"(UPDATE "users" SET "x" = $1 + 1 WHERE a = $2 and b = $3)",
                  {Param{"5"}, Param{"1"}, Param{"2"}}});
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
  CHECK(knex.sent.at(0) ==
        Statement{R"(UPDATE "users" SET "a" = $1 WHERE "id" = $2 RETURNING "id", "a")", {Param{"1"}, Param{"1"}}});
  CHECK(knex.sent.at(1) == Statement{R"(UPDATE "users" SET "a" = "b")", {}});
  CHECK(knex.sent.at(2) == Statement{R"(DELETE FROM "s"."users" WHERE "users"."id" = $1)", {Param{"1"}}});
}

TEST_CASE("hostile values are bound, hostile names quoted") {
  RecordingKnex knex;
  knex("we\"ird").where("c\"ol", "'); DROP TABLE users; --").update({{"유니코드", "\\' --"}});
  CHECK(knex.sent.at(0) ==
        Statement{R"(UPDATE "we""ird" SET "유니코드" = $1 WHERE "c""ol" = $2)",
                  {Param{"\\' --"}, Param{"'); DROP TABLE users; --"}}});
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
