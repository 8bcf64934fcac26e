// The builders on a real PostgreSQL: every type and modifier as the catalog reports it, and
// hostile names and values arriving unchanged.
#include "../support/test_database.hpp"
#include "transaction_knex_support.hpp"

#include <catch2/catch.hpp>

using namespace sonamu;
using sonamu::test::TestDatabase;
using sonamu::test::with_knex;

namespace {

/// One line per column: name, type, length/precision/scale, nullability and default.
std::string columns_of(const TestDatabase& db, const std::string& table, const std::string& schema = "public") {
  const auto rows = db.query(
      "SELECT column_name || ' ' || udt_name || ' ' || "
      "COALESCE(character_maximum_length::text, '-') || ' ' || COALESCE(numeric_precision::text, '-') || ',' || "
      "COALESCE(numeric_scale::text, '-') || ' ' || COALESCE(datetime_precision::text, '-') || ' ' || "
      "is_nullable || ' ' || COALESCE(column_default, '-') "
      "FROM information_schema.columns WHERE table_schema = '" + schema + "' AND table_name = '" + table +
      "' ORDER BY ordinal_position");
  std::string text;
  for (const auto& row : rows) text += row[0].as<std::string>() + "\n";
  return text;
}

/// Constraints of a table: name, type and definition, sorted by name.
std::string constraints_of(const TestDatabase& db, const std::string& table) {
  const auto rows = db.query(
      "SELECT conname || ' ' || contype::text || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
      "WHERE conrelid = '" + table + "'::regclass ORDER BY conname");
  std::string text;
  for (const auto& row : rows) text += row[0].as<std::string>() + "\n";
  return text;
}

}  // namespace

TEST_CASE("every column type round-trips through information_schema") {
  TestDatabase db;
  with_knex(db, [](Knex& knex) {
    knex.schema.createTable("all_types", [](TableBuilder& t) {
      t.increments("a");
      t.bigInteger("d");
      t.integer("c");
      t.smallint("e");
      t.tinyint("f");
      t.string("g");
      t.string("g2", 10);
      t.text("h");
      t.boolean("i");
      t.date("j");
      t.datetime("k");
      t.datetime("k2", {false, std::nullopt});
      t.timestamp("k3", {true, 3});
      t.time("m");
      t.decimal("n");
      t.decimal("n2", 10, 4);
      t.decimal("n3", std::nullopt);
      t.float_("o");
      t.double_("p");
      t.json("q");
      t.jsonb("r");
      t.uuid("s");
      t.binary("u");
      t.enu("v", {"a", "b"});
      t.specificType("x", "int[]");
    });
  });
  CHECK(columns_of(db, "all_types") ==
        "a int4 - 32,0 - NO nextval('all_types_a_seq'::regclass)\n"
        "d int8 - 64,0 - YES -\n"
        "c int4 - 32,0 - YES -\n"
        "e int2 - 16,0 - YES -\n"
        "f int2 - 16,0 - YES -\n"
        "g varchar 255 -,- - YES -\n"
        "g2 varchar 10 -,- - YES -\n"
        "h text - -,- - YES -\n"
        "i bool - -,- - YES -\n"
        "j date - -,- 0 YES -\n"
        "k timestamptz - -,- 6 YES -\n"
        "k2 timestamp - -,- 6 YES -\n"
        "k3 timestamptz - -,- 3 YES -\n"
        "m time - -,- 6 YES -\n"
        "n numeric - 8,2 - YES -\n"
        "n2 numeric - 10,4 - YES -\n"
        "n3 numeric - -,- - YES -\n"
        "o float4 - 24,- - YES -\n"
        "p float8 - 53,- - YES -\n"
        "q json - -,- - YES -\n"
        "r jsonb - -,- - YES -\n"
        "s uuid - -,- - YES -\n"
        "u bytea - -,- - YES -\n"
        "v text - -,- - YES -\n"
        "x _int4 - -,- - YES -\n");
  CHECK(constraints_of(db, "all_types") ==
        "all_types_pkey p PRIMARY KEY (a)\n"
        "all_types_v_check c CHECK ((v = ANY (ARRAY['a'::text, 'b'::text])))\n");
}

TEST_CASE("modifiers round-trip: nullability, defaults, keys, indexes, comments") {
  TestDatabase db;
  with_knex(db, [](Knex& knex) {
    knex.schema.createTable("users", [](auto& t) {
      t.increments();
      t.string("email").notNullable().unique();
    });
    knex.schema.createTable("posts", [&](auto& t) {
      t.bigIncrements("id");
      t.integer("user_id").unsigned_().notNullable().references("users.id").onDelete("CASCADE").onUpdate("RESTRICT");
      t.string("title", 100).nullable().defaultTo("untitled").index();
      t.boolean("draft").notNullable().defaultTo(true);
      t.integer("views").defaultTo(0);
      t.timestamps(true, true);
      t.timestamp("seen_at").defaultTo(knex.fn.now());
      t.text("body").comment("The body");
      t.comment("Blog posts");
    });
  });
  CHECK(columns_of(db, "posts") ==
        "id int8 - 64,0 - NO nextval('posts_id_seq'::regclass)\n"
        "user_id int4 - 32,0 - NO -\n"
        "title varchar 100 -,- - YES 'untitled'::character varying\n"
        "draft bool - -,- - NO true\n"
        "views int4 - 32,0 - YES 0\n"
        "created_at timestamptz - -,- 6 NO CURRENT_TIMESTAMP\n"
        "updated_at timestamptz - -,- 6 NO CURRENT_TIMESTAMP\n"
        "seen_at timestamptz - -,- 6 YES CURRENT_TIMESTAMP\n"
        "body text - -,- - YES -\n");
  CHECK(constraints_of(db, "posts") ==
        "posts_pkey p PRIMARY KEY (id)\n"
        "posts_user_id_foreign f FOREIGN KEY (user_id) REFERENCES users(id) ON UPDATE RESTRICT ON DELETE CASCADE\n");
  CHECK(constraints_of(db, "users") ==
        "users_email_unique u UNIQUE (email)\n"
        "users_pkey p PRIMARY KEY (id)\n");
  CHECK(db.scalar("SELECT indexname FROM pg_indexes WHERE tablename = 'posts' AND indexname LIKE '%index'") ==
        "posts_title_index");
  CHECK(db.scalar("SELECT col_description('posts'::regclass, 9)") == "The body");
  CHECK(db.scalar("SELECT obj_description('posts'::regclass, 'pg_class')") == "Blog posts");

  with_knex(db, [](Knex& knex) {
    knex.schema.alterTable("posts", [](auto& t) {
      t.string("title", 200).notNullable().defaultTo("none").alter();
      t.dropIndex("title");
      t.setNullable("draft");
      t.dropNullable("views");
      t.renameColumn("body", "content");
      t.dropForeign("user_id");
      t.dropTimestamps();
      t.comment("");
    });
  });
  CHECK(columns_of(db, "posts") ==
        "id int8 - 64,0 - NO nextval('posts_id_seq'::regclass)\n"
        "user_id int4 - 32,0 - NO -\n"
        "title varchar 200 -,- - NO 'none'::character varying\n"
        "draft bool - -,- - YES true\n"
        "views int4 - 32,0 - NO 0\n"
        "seen_at timestamptz - -,- 6 YES CURRENT_TIMESTAMP\n"
        "content text - -,- - YES -\n");
  CHECK(constraints_of(db, "posts") == "posts_pkey p PRIMARY KEY (id)\n");
  CHECK(db.scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'posts_title_index'") == "0");
  CHECK(db.scalar("SELECT COALESCE(obj_description('posts'::regclass, 'pg_class'), 'NULL')") == "NULL");
}

TEST_CASE("native enums, schemas, hasTable, hasColumn, rename and drop") {
  TestDatabase db;
  db.query("CREATE SCHEMA app");
  with_knex(db, [](Knex& knex) {
    EnumOptions mood;
    mood.useNative = true;
    mood.enumName = "mood";
    auto app = knex.schema.withSchema("app");
    app.createTable("people", [&](auto& t) {
      t.increments();
      t.enu("feeling", {"happy", "it's ok"}, mood).defaultTo("it's ok");
    });
    CHECK(app.hasTable("people"));
    CHECK_FALSE(knex.schema.hasTable("people"));
    CHECK(app.hasColumn("people", "feeling"));
    CHECK_FALSE(app.hasColumn("people", "nope"));
    knex("app.people").insert({{"feeling", "happy"}});
    knex("people").withSchema("app").insert(Row{});
    app.renameTable("people", "persons");
  });
  CHECK(db.scalar("SELECT string_agg(feeling::text, '|' ORDER BY id) FROM app.persons") == "happy|it's ok");
  CHECK(db.scalar("SELECT string_agg(enumlabel, '|' ORDER BY enumsortorder) FROM pg_enum") == "happy|it's ok");
  with_knex(db, [](Knex& knex) {
    knex.schema.withSchema("app").dropTableIfExists("persons");
    knex.schema.withSchema("app").dropTableIfExists("persons");
  });
  CHECK_FALSE(db.has_table("persons", "app"));
}

TEST_CASE("hostile identifiers, defaults and comments round-trip unchanged") {
  TestDatabase db;
  const std::string table = "we\"ird; DROP TABLE x; -- 표";
  const std::string column = "c\"ol' -- ;";
  const std::string value = "it's \\ \\' ; -- \"q\" $1 E'x' 유니코드 \n end";
  for (const bool standard_strings : {true, false}) {
    INFO("standard_conforming_strings " << standard_strings);
    with_knex(db, [&](Knex& knex) {
      // The escaped literal must mean the same text whatever this setting is.
      knex.raw(standard_strings ? "SET LOCAL standard_conforming_strings = on"
                                : "SET LOCAL standard_conforming_strings = off");
      knex.schema.dropTableIfExists(table);
      knex.schema.createTable(table, [&](auto& t) {
        t.increments();
        t.text(column).defaultTo(value).comment(value);
        t.enu("e", {value}).defaultTo(value);
        t.comment(value);
      });
      knex(table).insert(Row{});
      knex(table).insert({{column, value}, {"e", value}});
    });
    const std::string quoted = "\"we\"\"ird; DROP TABLE x; -- 표\"";
    auto cx = db.connect();
    pqxx::work tx(*cx);
    const auto matching = tx.exec_params1(
        "SELECT count(*) FROM " + quoted + " WHERE \"c\"\"ol' -- ;\" = $1 AND e = $1", value);
    CHECK(matching[0].as<int>() == 2);
    const auto comment = tx.exec_params1("SELECT col_description($1::regclass, 2)", quoted);
    CHECK(comment[0].as<std::string>() == value);
    const auto table_comment = tx.exec_params1("SELECT obj_description($1::regclass, 'pg_class')", quoted);
    CHECK(table_comment[0].as<std::string>() == value);
  }
}

TEST_CASE("data migrations: update with a raw value, where, whereIn, whereNull, delete, select") {
  TestDatabase db;
  with_knex(db, [](Knex& knex) {
    knex.schema.createTable("users", [](auto& t) {
      t.increments();
      t.string("old_phone", 40);
      t.string("new_phone", 40).nullable();
      t.boolean("is_deleted").notNullable().defaultTo(false);
    });
    knex("users").insert(std::vector<Row>{{{"old_phone", "010-1"}},
                                          {{"old_phone", "'); DROP TABLE users; --"}, {"is_deleted", true}},
                                          {{"old_phone", nullptr}}});
    const auto updated = knex("users").update({{"new_phone", sonamu::raw("old_phone")}});
    CHECK(updated.affected_rows() == 3);
    CHECK(knex("users").whereIn("id", {1, 2}).whereNull("new_phone").update({{"new_phone", "x"}}).affected_rows() == 0);
    CHECK(knex("users").where("is_deleted", true).del().affected_rows() == 1);
    const Result rows = knex("users").select("id", "new_phone as phone").whereNotNull("new_phone").orderBy("id");
    REQUIRE(rows.size() == 1);
    CHECK(rows.at(0, "phone") == Value{"010-1"});
    const auto raw_rows = knex.raw("SELECT count(*) AS n FROM users WHERE old_phone IS NULL AND id = $1", 3);
    CHECK(raw_rows.at(0, "n") == Value{"1"});
    CHECK(knex("users").where("old_phone", "like", "010%").first().at(0, "id") == Value{"1"});
  });
  CHECK(db.scalar("SELECT count(*) FROM users") == "2");
}
