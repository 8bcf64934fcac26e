// The bundled migrations, written with the builder, on a real PostgreSQL: each one survives
// up → down → up, and together they build the same catalog as the raw SQL knex generates.
#include "../support/test_database.hpp"
#include "core/registry.hpp"
#include "transaction_knex_support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace sonamu;
using sonamu::test::TestDatabase;
using sonamu::test::with_knex;

namespace {

/// What knex 3 sends for the six migrations (`toSQL()` of the same builder calls).
const std::vector<std::string> knex_up_sql{
    R"(create table "users" ("id" serial primary key, "email" varchar(255) not null))",
    R"(create table "posts" ("id" serial primary key, "user_id" integer not null, "title" varchar(255) not null))",
    R"(alter table "users" add column "phone" varchar(20) null)",
    R"(alter table "posts" add column "body" text null)",
    R"(alter table "users" add column "nickname" varchar(50) null;
       alter table "users" add constraint "users_nickname_unique" unique ("nickname"))",
    R"(alter table "posts" add constraint "posts_user_id_foreign" foreign key ("user_id") references "users" ("id") on update CASCADE on delete CASCADE)",
};

/// Tables, columns, constraints and indexes of the public schema, one per line. (Column
/// positions are left out: a column dropped and added again comes last, with knex as here.)
std::string catalog(const TestDatabase& db) {
  const auto rows = db.query(
      "SELECT 'column ' || table_name || '.' || column_name || ' ' || ' ' || udt_name || ' ' || "
      "COALESCE(character_maximum_length::text, '-') || ' ' || is_nullable || ' ' || COALESCE(column_default, '-') "
      "FROM information_schema.columns WHERE table_schema = 'public' AND table_name IN ('users', 'posts') "
      "UNION ALL SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) "
      "FROM pg_constraint WHERE connamespace = 'public'::regnamespace "
      "UNION ALL SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public' "
      "AND tablename IN ('users', 'posts') ORDER BY 1");
  std::string text;
  for (const auto& row : rows) text += row[0].as<std::string>() + "\n";
  return text;
}

std::vector<const Migration*> bundled() {
  std::vector<const Migration*> migrations;
  for (const auto& migration : Registry::global().migrations()) migrations.push_back(&migration);
  return migrations;
}

}  // namespace

TEST_CASE("every bundled migration is compiled into this test") {
  REQUIRE(Registry::global().problems().empty());
  const auto migrations = bundled();
  // A new file in migrations/ must also be listed in schema_bundled_migrations.cpp.
  const auto folder = std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "migrations";
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() == ".cpp") ++files;
  }
  CHECK(migrations.size() == files);
  REQUIRE(migrations.size() == 6);
  CHECK(migrations.front()->stem == "20251220143022_create__users");
  CHECK(migrations.back()->stem == "20251220150100_alter_posts_add2");
}

TEST_CASE("every bundled migration runs up, down and up again") {
  TestDatabase db;
  for (const auto* migration : bundled()) {
    INFO(migration->stem);
    const auto before = catalog(db);
    with_knex(db, [&](Knex& knex) { migration->up(knex); });
    const auto after_up = catalog(db);
    CHECK(after_up != before);
    with_knex(db, [&](Knex& knex) { migration->down(knex); });
    CHECK(catalog(db) == before);
    with_knex(db, [&](Knex& knex) { migration->up(knex); });
    CHECK(catalog(db) == after_up);
  }
}

TEST_CASE("the builder migrations build the catalog knex's SQL builds, and take it all down") {
  TestDatabase builder_db;
  TestDatabase knex_db;
  for (const auto* migration : bundled()) {
    with_knex(builder_db, [&](Knex& knex) { migration->up(knex); });
  }
  for (const auto& sql : knex_up_sql) knex_db.query(sql);
  const auto expected = catalog(knex_db);
  CHECK(catalog(builder_db) == expected);
  CHECK_THAT(expected, Catch::Contains("constraint posts posts_user_id_foreign FOREIGN KEY (user_id) "
                                       "REFERENCES users(id) ON UPDATE CASCADE ON DELETE CASCADE"));
  CHECK_THAT(expected, Catch::Contains("constraint users users_nickname_unique UNIQUE (nickname)"));

  const auto migrations = bundled();
  for (auto it = migrations.rbegin(); it != migrations.rend(); ++it) {
    with_knex(builder_db, [&](Knex& knex) { (*it)->down(knex); });
  }
  CHECK(catalog(builder_db).empty());
}

TEST_CASE("a migration's statements are the guide's, one SQL line each") {
  TestDatabase db;
  std::vector<std::string> sent;
  for (const auto* migration : bundled()) {
    const auto statements = with_knex(db, [&](Knex& knex) { migration->up(knex); });
    sent.insert(sent.end(), statements.begin(), statements.end());
  }
  CHECK(sent == std::vector<std::string>{
                    R"(CREATE TABLE "users" ("id" serial PRIMARY KEY, "email" varchar(255) NOT NULL))",
                    R"(CREATE TABLE "posts" ("id" serial PRIMARY KEY, "user_id" integer NOT NULL, "title" varchar(255) NOT NULL))",
                    R"(ALTER TABLE "users" ADD COLUMN "phone" varchar(20) NULL)",
                    R"(ALTER TABLE "posts" ADD COLUMN "body" text NULL)",
                    R"(ALTER TABLE "users" ADD COLUMN "nickname" varchar(50) NULL)",
                    R"(ALTER TABLE "users" ADD CONSTRAINT "users_nickname_unique" UNIQUE ("nickname"))",
                    R"(ALTER TABLE "posts" ADD CONSTRAINT "posts_user_id_foreign" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON UPDATE CASCADE ON DELETE CASCADE)"});
}
