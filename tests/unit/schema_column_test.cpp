// Column defaults and comments: DDL takes no parameters, so values are written as literals,
// escaped as knex escapes them for PostgreSQL.
#include "schema_recording_knex.hpp"

#include <catch2/catch.hpp>

using namespace sonamu;
using sonamu::test::RecordingKnex;
using Strings = std::vector<std::string>;

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
  CHECK(knex.sql() ==
        Strings{
            R"(CREATE TABLE "d" ("a" boolean DEFAULT '1', "b" boolean DEFAULT '0', "c" integer DEFAULT '5', "s" varchar(255) DEFAULT E'it''s \\ ; --', "n" text DEFAULT NULL, "j" jsonb DEFAULT '{}', "dd" decimal(5, 2) DEFAULT '1.5', "r" varchar(255) DEFAULT 'x'::text, "c1" text, "c2" text, "at" timestamptz DEFAULT CURRENT_TIMESTAMP, "at3" timestamptz DEFAULT CURRENT_TIMESTAMP(3)))",
            R"(COMMENT ON COLUMN "d"."c1" IS NULL)",
            // knex writes 'a''b\c' (correct only with standard_conforming_strings on); the
            // E'' form reads the same either way.
            R"(COMMENT ON COLUMN "d"."c2" IS E'a''b\\c')"});
  for (const auto& statement : knex.sent) CHECK(statement.bindings.empty());
}

TEST_CASE("a raw default's own parameters are written in as literals") {
  RecordingKnex knex;
  knex.schema.createTable("d", [](auto& t) {
    t.text("a").defaultTo(sonamu::raw("lower($1) || $2", "It's", nullptr));
  });
  CHECK(knex.sql() == Strings{R"(CREATE TABLE "d" ("a" text DEFAULT lower('It''s') || NULL))"});
}

TEST_CASE("hostile identifiers are quoted, with inner quotes doubled") {
  RecordingKnex knex;
  knex.schema.createTable("we\"ird; --", [](auto& t) { t.string("c\"ol", 10).defaultTo("a'b"); });
  knex.schema.createTable("유니코드", [](auto& t) { t.text("열").notNullable(); });
  CHECK(knex.sql() == Strings{R"(CREATE TABLE "we""ird; --" ("c""ol" varchar(10) DEFAULT 'a''b'))",
                              R"(CREATE TABLE "유니코드" ("열" text NOT NULL))"});
}

TEST_CASE("nullable and notNullable: the last call wins, increments ignore both") {
  RecordingKnex knex;
  knex.schema.createTable("t", [](auto& t) {
    t.increments().notNullable().defaultTo(1);
    t.integer("a").notNullable().nullable();
    t.integer("b").nullable().notNullable();
  });
  CHECK(knex.sql() == Strings{R"(CREATE TABLE "t" ("id" serial PRIMARY KEY, "a" integer NULL, "b" integer NOT NULL))"});
}
