// Misuse is reported at the call that misuses the builder, as a DefinitionError, and a table
// with any error sends nothing.
#include "schema_recording_knex.hpp"

#include <catch2/catch.hpp>

using namespace sonamu;
using sonamu::test::RecordingKnex;

namespace {

/// Runs `fn` on an alterTable callback and returns the DefinitionError message ("" if none).
template <typename Fn>
std::string alter_error(Fn fn, TableBuilder::Method method = TableBuilder::Method::alter) {
  RecordingKnex knex;
  try {
    if (method == TableBuilder::Method::alter) {
      knex.schema.alterTable("t", fn);
    } else {
      knex.schema.createTable("t", fn);
    }
  } catch (const DefinitionError& e) {
    if (!knex.sent.empty()) return "sent SQL before the error";
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("DefinitionError is a logic_error") {
  CHECK(std::is_base_of_v<std::logic_error, DefinitionError>);
}

TEST_CASE("empty table names are refused") {
  RecordingKnex knex;
  CHECK_THROWS_AS(knex.schema.createTable("", [](auto&) {}), DefinitionError);
  CHECK_THROWS_AS(knex.schema.alterTable("", [](auto&) {}), DefinitionError);
  CHECK_THROWS_AS(knex.schema.dropTable(""), DefinitionError);
  CHECK_THROWS_AS(knex.schema.dropTableIfExists(""), DefinitionError);
  CHECK_THROWS_AS(knex.schema.renameTable("a", ""), DefinitionError);
  CHECK_THROWS_AS(knex.schema.hasTable(""), DefinitionError);
  CHECK_THROWS_AS(knex.schema.withSchema(""), DefinitionError);
  CHECK_THROWS_AS(knex.schema.createTable("a.", [](auto&) {}), DefinitionError);
  CHECK_THROWS_AS(knex(""), DefinitionError);
  CHECK(knex.sent.empty());
}

TEST_CASE("column types with impossible arguments are refused") {
  CHECK_THAT(alter_error([](auto& t) { t.string("a", 0); }), Catch::Contains("length"));
  CHECK_THAT(alter_error([](auto& t) { t.string("a", -3); }), Catch::Contains("length"));
  CHECK_THAT(alter_error([](auto& t) { t.decimal("a", 4, 5); }), Catch::Contains("scale"));
  CHECK_THAT(alter_error([](auto& t) { t.decimal("a", 4, -1); }), Catch::Contains("scale"));
  CHECK_THAT(alter_error([](auto& t) { t.decimal("a", 0, 0); }), Catch::Contains("precision"));
  CHECK_THAT(alter_error([](auto& t) { t.timestamp("a", {true, 7}); }), Catch::Contains("precision"));
  CHECK_THAT(alter_error([](auto& t) { t.integer(""); }), Catch::Contains("column name"));
  CHECK_THAT(alter_error([](auto& t) { t.enu("a", {}); }), Catch::Contains("value"));
  CHECK_THAT(alter_error([](auto& t) {
               EnumOptions native;
               native.useNative = true;
               t.enu("a", {"x"}, native);
             }),
             Catch::Contains("enumName"));
  CHECK_THAT(alter_error([](auto& t) { t.specificType("a", ""); }), Catch::Contains("type"));
}

TEST_CASE("foreign keys need a referenced column and table") {
  CHECK_THAT(alter_error([](auto& t) { t.integer("a").references(""); }),
             Catch::Contains("references() needs a column"));
  CHECK_THAT(alter_error([](auto& t) { t.integer("a").references("users."); }),
             Catch::Contains("table.column"));
  CHECK_THAT(alter_error([](auto& t) { t.foreign("a"); }), Catch::Contains("references() needs a column"));
  // A column without a table: found when the callback returns, before any statement is sent.
  CHECK_THAT(alter_error([](auto& t) {
               t.integer("b");
               t.integer("a").references("id");
             }),
             Catch::Contains("no referenced table"));
  CHECK_THAT(alter_error([](auto& t) { t.foreign(std::vector<std::string>{}); }), Catch::Contains("column"));
  CHECK_THAT(alter_error([](auto& t) { t.integer("a").onDelete("CASCADE"); }),
             Catch::Contains("needs references() first"));
}

TEST_CASE("words written into the SQL must be known words") {
  CHECK_THAT(alter_error([](auto& t) { t.foreign("a").references("b.c").onDelete("CASCADE; DROP TABLE x"); }),
             Catch::Contains("onDelete"));
  CHECK_THAT(alter_error([](auto& t) { t.foreign("a").references("b.c").onUpdate("nothing"); }),
             Catch::Contains("onUpdate"));
  CHECK_THAT(alter_error([](auto& t) { t.foreign("a").references("b.c").deferrable("later"); }),
             Catch::Contains("deferred"));
  CHECK_THAT(alter_error([](auto& t) { t.index("a", "i", "hash; DROP"); }), Catch::Contains("index method"));
}

TEST_CASE("alter-only operations are refused in createTable") {
  const auto create = TableBuilder::Method::create;
  CHECK_THAT(alter_error([](auto& t) { t.dropColumn("a"); }, create), Catch::Contains("alterTable"));
  CHECK_THAT(alter_error([](auto& t) { t.renameColumn("a", "b"); }, create), Catch::Contains("alterTable"));
  CHECK_THAT(alter_error([](auto& t) { t.setNullable("a"); }, create), Catch::Contains("alterTable"));
  CHECK_THAT(alter_error([](auto& t) { t.integer("a").alter(); }, create), Catch::Contains("alterTable"));
}

TEST_CASE("an enum with a check constraint cannot be altered (knex writes invalid SQL)") {
  CHECK_THAT(alter_error([](auto& t) { t.enu("v", {"a"}).alter(); }), Catch::Contains("native enum"));
}

TEST_CASE("values that text cannot hold are refused") {
  CHECK_THAT(alter_error([](auto& t) { t.text("a").defaultTo(std::string("a\0b", 3)); }),
             Catch::Contains("NUL"));
  CHECK_THAT(alter_error([](auto& t) { t.integer(std::string("a\0b", 3)); }), Catch::Contains("NUL"));
  CHECK_THAT(alter_error([](auto& t) { t.text("a").defaultTo(sonamu::raw("$2", 1)); }),
             Catch::Contains("no binding"));
}
