// knex's spellings and option objects as a ported migration writes them, compared with knex 3's
// toSQL() of the same calls in tests/knex/porting_cases.js (same case names). Option objects are
// C++20 designated initializers, as migrations are compiled.
#include "knex_oracle.hpp"
#include "schema_recording_knex.hpp"

#include <sonamu/builder/definition_error.hpp>

#include <catch2/catch.hpp>

using namespace sonamu;
using sonamu::test::check_against_knex;
using sonamu::test::RecordingKnex;

TEST_CASE("knex's spellings: dateTime, enu, enum, unsigned, text with a MySQL text type") {
  RecordingKnex knex;
  knex.schema.createTable("t", [](auto& t) {
    t.dateTime("a");
    t.dateTime("b", {.useTz = false, .precision = 3});
    t.text("c", "longtext");
    t.text("d", "mediumtext");
    t.integer("e").unsigned_();
    t.enu("f", {"x"});
    t.enum_("g", {"y"});
  });
  check_against_knex(knex.sent);
}

TEST_CASE("alter with the option object") {
  RecordingKnex knex;
  knex.schema.alterTable("t", [](auto& t) {
    t.integer("a").notNullable().alter({.alterNullable = false});
    t.string("b").nullable().alter({.alterType = false});
    t.text("c", "longtext").alter({.alterNullable = false, .alterType = false});
    t.integer("d").notNullable().alter(AlterOptions{});
  });
  check_against_knex(knex.sent);
}

TEST_CASE("partial, unique and access-method indexes with the option object") {
  RecordingKnex knex;
  knex.schema.alterTable("users", [&](auto& t) {
    t.index({"a", "b"}, "ab_idx",
            {.indexType = "unique", .storageEngineIndexType = "hash", .predicate = knex.whereNotNull("a")});
    t.index("c", "c_idx", {.predicate = knex.whereNull("c").orWhereNotNull("d")});
    t.index({"c2"}, "c2_idx", {.storageEngineIndexType = "gin"});
    t.unique({"e"}, {.indexName = "e_uq", .deferrable = "deferred"});
    t.unique({"f"}, {.indexName = "f_uq", .predicate = knex.whereNull("g")});
    t.unique("h", {.deferrable = "immediate"});
    t.unique({"k"}, {.useConstraint = false});
    t.unique({"m"}, {.predicate = knex.whereNotNull("m")});
  });
  check_against_knex(knex.sent);
}

TEST_CASE("unique with deferrable in createTable") {
  RecordingKnex knex;
  knex.schema.createTable("t", [&](auto& t) {
    t.integer("a");
    t.unique({"a"}, {.indexName = "a_uq", .deferrable = "deferred"});
    t.index({"a"}, "ai", {.predicate = knex.whereNotNull("a")});
  });
  check_against_knex(knex.sent);
}

TEST_CASE("dropIndex, dropUnique, dropForeign and dropPrimary by explicit name") {
  RecordingKnex knex;
  knex.schema.withSchema("s").alterTable("users", [](auto& t) {
    t.dropIndex("", "ab_idx");
    t.dropIndex({}, "x_idx");
    t.dropUnique({}, "e_uq");
    t.dropUnique("", "e_uq2");
    t.dropForeign("", "fk");
    t.dropForeign({}, "fk2");
    t.dropPrimary("pk");
  });
  check_against_knex(knex.sent);
}

TEST_CASE("a partial index's values are written in; knex's refusals are refusals here") {
  RecordingKnex knex;
  // knex 3 writes `where n > ?` and drops the value, a statement PostgreSQL refuses.
  knex.schema.alterTable("t", [&](auto& t) {
    t.index("n", "n_idx", {.predicate = knex.whereRaw("?? > ?", "n", 5).orWhere("s", "it's")});
  });
  REQUIRE(knex.sent.size() == 1);
  CHECK(knex.sent[0].sql == R"(CREATE INDEX "n_idx" ON "t" ("n") WHERE "n" > '5' OR "s" = 'it''s')");
  CHECK(knex.sent[0].bindings.empty());
  const auto refused = [&](UniqueOptions options) {
    knex.schema.alterTable("t", [&](auto& t) { t.unique("a", options); });
  };
  CHECK_THROWS_WITH(refused({.deferrable = "deferred", .useConstraint = false}), Catch::Contains("deferrable index"));
  CHECK_THROWS_WITH(refused({.predicate = knex.whereNull("a"), .useConstraint = true}), Catch::Contains("with predicate"));
  CHECK_THROWS_WITH(refused({.deferrable = "later"}), Catch::Contains("\"deferred\" or \"immediate\""));
  CHECK_THROWS_AS(knex.whereNotNull("a").rows(), DefinitionError);  // conditions without a table never run
  CHECK(knex.sent.size() == 1);
}

TEST_CASE("knex.client answers as knex's pg client does") {
  RecordingKnex knex;
  check_against_knex({Statement{knex.client.config.client, {knex.client.dialect, knex.client.driverName}}});
}
