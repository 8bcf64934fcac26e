// createTable, alterTable and the schema calls, compared with what knex 3 generates for
// PostgreSQL: each case's expectation is `toSQL()` of the same calls in
// tests/knex/builder_cases.js (same case name), keywords compared without regard to case.
#include "knex_oracle.hpp"
#include "schema_recording_knex.hpp"

#include <catch2/catch.hpp>

using namespace sonamu;
using sonamu::test::check_against_knex;
using sonamu::test::RecordingKnex;

TEST_CASE("the guide's createTable and dropTable") {
  RecordingKnex knex;
  knex.schema.createTable("users", [](auto& table) {
    table.increments().primary();
    table.string("email", 255).notNullable();
  });
  knex.schema.dropTable("users");
  check_against_knex(knex.sent);
  CHECK(knex.sent[0].bindings.empty());
}

TEST_CASE("the guide's alterTable: add a nullable column, drop it") {
  RecordingKnex knex;
  knex.schema.alterTable("users", [](auto& table) { table.string("phone", 20).nullable(); });
  knex.schema.alterTable("users", [](auto& table) { table.dropColumns("phone"); });
  check_against_knex(knex.sent);
}

TEST_CASE("the guide's foreign key and its rollback") {
  RecordingKnex knex;
  knex.schema.alterTable("employees", [](auto& table) {
    table.foreign("user_id").references("users.id").onUpdate("CASCADE").onDelete("CASCADE");
  });
  knex.schema.alterTable("employees", [](auto& table) { table.dropForeign({"user_id"}); });
  check_against_knex(knex.sent);
}

TEST_CASE("a unique column adds knex's named constraint after the column") {
  RecordingKnex knex;
  knex.schema.alterTable("users", [](auto& table) { table.string("nickname", 50).nullable().unique(); });
  check_against_knex(knex.sent);
}

TEST_CASE("every column type, as knex writes it for PostgreSQL") {
  RecordingKnex knex;
  knex.schema.createTable("s.all", [](TableBuilder& t) {
    t.increments("a");
    t.bigIncrements("b");
    t.integer("c");
    t.bigInteger("d");
    t.smallint("e");
    t.tinyint("f");
    t.string("g");
    t.string("g2", 10);
    t.text("h");
    t.boolean("i");
    t.date("j");
    t.datetime("k");
    t.datetime("k2", {false, std::nullopt});
    t.datetime("k3", {true, 3});
    t.timestamp("l");
    t.timestamp("l2", {false, 2});
    t.time("m");
    t.decimal("n");
    t.decimal("n2", 10, 2);
    t.decimal("n3", std::nullopt);
    t.float_("o");
    t.float_("o2", 5, 1);
    t.double_("p");
    t.double_("p2", 5, 1);
    t.json("q");
    t.jsonb("r");
    t.uuid("s");
    t.binary("u");
    t.enu("v", {"a", "b"});
    EnumOptions native;
    native.useNative = true;
    native.enumName = "my_enum";
    t.enum_("w", {"x", "y"}, native);
    t.specificType("x", "int[]");
    t.integer("y").unsigned_();
    t.text("z").comment("it's");
  });
  check_against_knex(knex.sent);
}

TEST_CASE("createTableIfNotExists with an explicit primary key, unique and index") {
  RecordingKnex knex;
  knex.schema.createTableIfNotExists("users", [](auto& t) {
    t.bigIncrements();
    t.string("code", 10).primary();
    t.uuid("u").unique().index();
  });
  check_against_knex(knex.sent);
}

TEST_CASE("withSchema, references, index, unique, timestamps and a table comment") {
  RecordingKnex knex;
  knex.schema.withSchema("app").createTable("posts", [](auto& t) {
    t.increments();
    t.integer("user_id").unsigned_().notNullable().references("id").inTable("users").onDelete("CASCADE");
    t.integer("x").references("users.id");
    t.string("email").index();
    t.string("n").unique();
    t.timestamps(true, true);
    t.comment("Posts");
  });
  check_against_knex(knex.sent);
}

TEST_CASE("timestamps without defaults, and in camel case") {
  RecordingKnex knex;
  knex.schema.createTable("t", [](auto& t) { t.timestamps(); });
  knex.schema.createTable("t", [](auto& t) { t.timestamps(false, true, true); });
  check_against_knex(knex.sent);
}

TEST_CASE("dropTable, dropTableIfExists and renameTable, with and without a schema") {
  RecordingKnex knex;
  knex.schema.dropTable("users");
  knex.schema.withSchema("s").dropTableIfExists("users");
  knex.schema.withSchema("s").renameTable("a", "b");
  knex.schema.renameTable("a", "b");
  check_against_knex(knex.sent);
}

TEST_CASE("hasTable and hasColumn bind the names and read the answer") {
  RecordingKnex knex;
  CHECK_FALSE(knex.schema.hasTable("users"));
  knex.reply = Result({"table_name"}, {{Value{"users"}}}, 0);
  CHECK(knex.schema.withSchema("s").hasTable("users"));
  CHECK(knex.schema.hasColumn("users", "email"));
  check_against_knex(knex.sent);
}

TEST_CASE("alterTable's table operations, in the order written") {
  RecordingKnex knex;
  knex.schema.table("users", [](auto& t) {
    t.renameColumn("a", "b");
    t.dropColumn("c");
    t.dropColumns("d", "e");
    t.index({"f", "g"});
    t.index("h", "my_idx");
    t.dropIndex({"f", "g"});
    t.dropIndex({}, "my_idx");
    t.unique({"i", "j"});
    t.dropUnique({"i", "j"});
    t.primary({"k"});
    t.dropPrimary();
    t.primary({"k"}, "pk_name");
    t.dropPrimary("pk_name");
    t.setNullable("l");
    t.dropNullable("m");
    t.dropTimestamps();
    t.dropForeign("n");
    t.dropForeign({}, "fk_name");
    t.comment("it's");
  });
  // knex leaves the quote of it's unescaped, which breaks the statement; it is doubled here.
  check_against_knex(knex.sent, {{18, {R"(comment on table "users" is 'it's')",
                                       R"(COMMENT ON TABLE "users" IS 'it''s')"}}});
}

TEST_CASE("alter() changes type, default and nullability of an existing column") {
  RecordingKnex knex;
  knex.schema.alterTable("users", [](auto& t) { t.string("email", 100).notNullable().defaultTo("x").alter(); });
  knex.schema.alterTable("users", [](auto& t) {
    t.integer("n").alter();
    t.text("z").nullable().alter(false);
  });
  knex.schema.alterTable("users", [](auto& t) { t.integer("n").alter(true, false); });
  check_against_knex(knex.sent);
}

TEST_CASE("several added columns share one ALTER TABLE; comments and constraints follow") {
  RecordingKnex knex;
  knex.schema.alterTable("users", [](auto& t) {
    t.string("a");
    t.integer("b").notNullable().defaultTo(0).comment("c");
    t.string("u").unique();
  });
  check_against_knex(knex.sent);
}

TEST_CASE("foreign keys over several columns, with key names, schemas and deferral") {
  RecordingKnex knex;
  knex.schema.alterTable("x", [](auto& t) {
    t.foreign({"a", "b"}, "fk_ab").references({"c", "d"}).inTable("y").deferrable("deferred");
    t.foreign("q").references("id").on("s.y").onDelete("SET NULL");
    t.integer("r").references("z.id").withKeyName("r_fk").onUpdate("restrict");
  });
  check_against_knex(knex.sent);
}

TEST_CASE("a table's primary key makes increments a plain serial") {
  RecordingKnex knex;
  knex.schema.createTable("t", [](auto& t) {
    t.increments("id");
    t.integer("a");
    t.primary({"a"});
  });
  knex.schema.createTable("t", [](auto& t) {
    t.increments("id", false);
    t.integer("a").primary("t_pk");
  });
  knex.schema.createTable("t", [](auto& t) {
    t.specificType("a", "int[]").notNullable();
    t.uuid("u", true);
  });
  check_against_knex(knex.sent);
}

TEST_CASE("generated names replace the dots and dashes of the table name") {
  RecordingKnex knex;
  knex.schema.createTable("s.t-x", [](auto& t) {
    t.integer("a").unique();
    t.integer("b").index();
  });
  check_against_knex(knex.sent);
}

TEST_CASE("named unique constraints and index options") {
  RecordingKnex knex;
  knex.schema.alterTable("users", [](auto& t) {
    t.unique({"a"}, "x_uq");
    t.unique("b", "y_uq");
    t.string("c").unique("z_uq");
    t.string("d").index("d_idx", "hash");
    IndexOptions unique_index;
    unique_index.indexType = "unique";
    t.index({"e"}, "e_idx", unique_index);
  });
  knex.schema.withSchema("s").alterTable("t", [](auto& t) { t.dropIndex("a"); });
  check_against_knex(knex.sent);
}

TEST_CASE("native enums: the type is created first, in the table's schema, unless it exists") {
  RecordingKnex knex;
  EnumOptions mood;
  mood.useNative = true;
  mood.enumName = "mood";
  EnumOptions existing = mood;
  existing.existingType = true;
  knex.schema.withSchema("s").createTable("e", [&](auto& t) {
    t.enu("w", {"x", "y'z"}, mood);
    t.enu("q", {}, existing);
  });
  knex.schema.alterTable("e", [&](auto& t) { t.enu("w", {"x"}, mood); });
  knex.schema.alterTable("e", [&](auto& t) { t.enu("w", {}, existing).alter(); });
  // knex leaves the quote of y'z unescaped, which breaks the statement; it is doubled here.
  check_against_knex(knex.sent, {{0, {R"(create type "s"."mood" as enum ('x', 'y'z'))",
                                      R"(CREATE TYPE "s"."mood" AS ENUM ('x', 'y''z'))"}}});
}

TEST_CASE("toSQL compiles without running anything") {
  RecordingKnex knex;
  const auto statements = knex.schema.toSQL(TableBuilder::Method::alter, "users",
                                            [](auto& t) { t.dropColumn("phone"); });
  check_against_knex(statements);
  CHECK(knex.sent.empty());
}
