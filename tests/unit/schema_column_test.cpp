// Column defaults and comments: DDL takes no parameters, so values are written as literals,
// escaped as knex escapes them for PostgreSQL. Expectations: knex's `toSQL()` of the same calls
// (tests/knex/builder_cases.js, same case names).
#include "knex_oracle.hpp"
#include "schema_recording_knex.hpp"

#include <catch2/catch.hpp>

using namespace sonamu;
using sonamu::test::check_against_knex;
using sonamu::test::RecordingKnex;

TEST_CASE("defaults of every kind, as knex writes them") {
  RecordingKnex knex;
  knex.schema.createTable("d", [&](auto& t) {
    t.boolean("a").defaultTo(true);
    t.boolean("b").defaultTo(false);
    t.integer("c").defaultTo(5);
    t.string("s").defaultTo("it's \\ ; --");
    t.text("n").defaultTo(nullptr);
    t.jsonb("j").defaultTo("{}");
    t.decimal("dd", 5, 2).defaultTo(1.5);
    t.string("r").defaultTo(sonamu::raw("'x'::text"));
    t.text("c1").comment("");
    t.text("c2").comment("a'b\\c");
    t.timestamp("at").defaultTo(knex.fn.now());
    t.timestamp("at3").defaultTo(knex.fn.now(3));
  });
  // knex writes 'a''b\c', correct only while standard_conforming_strings is on; the E''
  // form reads the same either way.
  check_against_knex(knex.sent, {{2, {R"(comment on column "d"."c2" is 'a''b\c')",
                                      R"(COMMENT ON COLUMN "d"."c2" IS E'a''b\\c')"}}});
  for (const auto& statement : knex.sent) CHECK(statement.bindings.empty());
}

TEST_CASE("a raw default's own parameters are written in as literals") {
  RecordingKnex knex;
  knex.schema.createTable("d", [](auto& t) {
    t.text("a").defaultTo(sonamu::raw("lower($1) || $2", "It's", nullptr));
  });
  check_against_knex(knex.sent);
}

TEST_CASE("hostile identifiers are quoted, with inner quotes doubled") {
  RecordingKnex knex;
  knex.schema.createTable("we\"ird; --", [](auto& t) { t.string("c\"ol", 10).defaultTo("a'b"); });
  knex.schema.createTable("유니코드", [](auto& t) { t.text("열").notNullable(); });
  check_against_knex(knex.sent);
}

TEST_CASE("nullable and notNullable: the last call wins, increments ignore both") {
  RecordingKnex knex;
  knex.schema.createTable("t", [](auto& t) {
    t.increments().notNullable().defaultTo(1);
    t.integer("a").notNullable().nullable();
    t.integer("b").nullable().notNullable();
  });
  check_against_knex(knex.sent);
}
