// knex.raw's placeholders: `?` values, `??` identifiers, `\?` escapes and named `:name` /
// `:name:` bindings, compared with knex 3's `toSQL().toNative()` of the same calls in
// tests/knex/porting_cases.js (same case names).
#include "knex_oracle.hpp"
#include "schema_recording_knex.hpp"

#include <sonamu/builder/definition_error.hpp>
#include <sonamu/sql_script.hpp>

#include <catch2/catch.hpp>

using namespace sonamu;
using sonamu::test::check_against_knex;
using sonamu::test::RecordingKnex;

TEST_CASE("knex.raw with ? values, ?? identifiers and \\? escapes") {
  RecordingKnex knex;
  knex.raw("select ?? from ?? where a = ? and b \\? ?", "x.y", "s.t", 1, "k");
  knex.raw("select ?? from t", std::vector<Param>{"a as b"});
  knex.raw("update t set n = ? where id = ?", knex.raw("n + ?", 1), 5);
  knex.raw("select '{}'::jsonb \\? 'a'");
  knex.raw("select ?", nullptr);
  check_against_knex(knex.sent);
}

TEST_CASE("knex.raw with named bindings") {
  RecordingKnex knex;
  knex.raw("select :col: from :tbl: where a = :a and b::text = :b and c = :a and d = \\:a",
           {{"col", "x"}, {"tbl", "s.t"}, {"a", 1}, {"b", "z"}});
  knex.raw("select :c:::text, :missing", {{"c", "a"}});
  check_against_knex(knex.sent);
}

TEST_CASE("table checks with knex's ?? and ? placeholders") {
  RecordingKnex knex;
  knex.schema.createTable("t", [](auto& t) {
    t.integer("a");
    t.check("?? > ? and ?? <> ?", {"a", 5, "b", "it's"}, "a_big");
  });
  knex.schema.alterTable("t", [](auto& t) { t.check("?? is not ?", {"t.a", nullptr}, "a_set"); });
  CHECK_THROWS_WITH(knex.schema.alterTable("t", [](auto& t) { t.check("?? > ?", {"a"}); }),
                    Catch::Contains("check(\"?? > ?\"): 1 binding(s) given for 2"));
  // knex 3 drops the bindings of an alterTable check and sends the placeholders; they are
  // written in here, as knex does in createTable.
  check_against_knex(knex.sent, {{1, {R"(alter table "t" add constraint a_set check(?? is not ?))",
                                      R"(ALTER TABLE "t" ADD CONSTRAINT a_set CHECK("t"."a" is not NULL))"}}});
}

TEST_CASE("knex.raw bindings inside query conditions follow the ones before") {
  RecordingKnex knex;
  knex("users").where("a", 1).whereRaw("?? = ?", "b", 2).update({{"x", knex.raw("? + 1", 5)}});
  check_against_knex(knex.sent);
}

TEST_CASE("a placeholder count that does not match names the statement") {
  RecordingKnex knex;
  // knex: "Expected 1 bindings, saw 2"; here the statement is named and nothing is sent.
  CHECK_THROWS_WITH(knex.raw("select ? + ?", 1),
                    Catch::Contains("knex.raw(\"select ? + ?\")") && Catch::Contains("1 binding(s) given for 2"));
  CHECK_THROWS_WITH(knex.raw("select ?", 1, 2), Catch::Contains("2 binding(s) given for 1"));
  CHECK_THROWS_WITH(knex.raw("select $1, $2", 1), Catch::Contains("knex.raw(\"select $1, $2\")") &&
                                                       Catch::Contains("$2 has no binding (1 given"));
  CHECK_THROWS_WITH(knex.raw("select $1", 1, 2), Catch::Contains("2 binding(s) given, but the SQL has 1"));
  CHECK_THROWS_WITH(knex.raw("select $1 + ?", 1, 2), Catch::Contains("mixes knex's ?"));
  CHECK_THROWS_WITH(knex.raw("select ??", nullptr), Catch::Contains("identifier binding is null"));
  CHECK_THROWS_AS(sonamu::raw(std::string("a = ? and b = ?"), 1), DefinitionError);
  CHECK(knex.sent.empty());
}

TEST_CASE("PostgreSQL's own $n placeholders keep working") {
  RecordingKnex knex;
  knex.raw("select $1::int + $2", 1, 2);
  knex.raw("select $1", std::vector<Param>{"x"});
  REQUIRE(knex.sent.size() == 2);
  CHECK(knex.sent[0] == Statement{"select $1::int + $2", {"1", "2"}});
  CHECK(knex.sent[1] == Statement{"select $1", {"x"}});
}

TEST_CASE("a SQL migration file is sent as written, knex's escapes included") {
  RecordingKnex knex;
  const char* const statements[] = {"SELECT 'a\\?b' ~ ?, E'\\?'", nullptr};
  run_sql_statements(knex, statements);
  knex.raw("SELECT 'a\\?b'");  // knex.raw unescapes, as knex does
  CHECK(knex.sql() == std::vector<std::string>{"SELECT 'a\\?b' ~ ?, E'\\?'", "SELECT 'a?b'"});
}
