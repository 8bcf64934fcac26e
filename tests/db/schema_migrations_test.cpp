// The bundled migrations, written with the builder, on a real PostgreSQL: each one survives
// up → down → up, and together they build the same catalog as the SQL knex 3 generates for
// their JS twins in tests/knex/migrations (tests/knex/migration_sql.js, run as a CTest fixture).
#include "../support/test_database.hpp"
#include "../unit/knex_oracle.hpp"
#include "core/registry.hpp"
#include "transaction_knex_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#ifndef SONAMU_KNEX_MIGRATION_SQL
#error "SONAMU_KNEX_MIGRATION_SQL must name the JSON file tests/knex/migration_sql.js writes"
#endif

using namespace sonamu;
using sonamu::test::TestDatabase;
using sonamu::test::upper_outside_quotes;
using sonamu::test::with_knex;

namespace {

/// The file, read once: { name: { up: [sql...], down: [sql...] } }, names in order (a JSON
/// object is sorted by key here, and the names sort as they run).
const nlohmann::json& knex_migrations() {
  static const auto loaded = [] {
    std::ifstream in(SONAMU_KNEX_MIGRATION_SQL);
    if (!in) {
      throw std::runtime_error(std::string("cannot read ") + SONAMU_KNEX_MIGRATION_SQL +
                               ": it is written by the CTest fixture knex_migration_sql "
                               "(node tests/knex/migration_sql.js; needs scripts/install-knex.sh)");
    }
    return nlohmann::json::parse(in);
  }();
  return loaded;
}

/// The JS twins' names, in order.
std::vector<std::string> knex_migration_names() {
  std::vector<std::string> names;
  for (const auto& item : knex_migrations().items()) names.push_back(item.key());
  return names;
}

/// knex's statements for one direction of every migration, in the order a full run (up) or a
/// full rollback (down, newest first) sends them.
std::vector<std::string> knex_sql(const std::string& direction) {
  auto names = knex_migration_names();
  if (direction == "down") std::reverse(names.begin(), names.end());
  std::vector<std::string> statements;
  for (const auto& name : names) {
    for (const auto& sql : knex_migrations().at(name).at(direction)) statements.push_back(sql.get<std::string>());
  }
  return statements;
}

std::vector<std::string> upper(std::vector<std::string> statements) {
  for (auto& sql : statements) sql = upper_outside_quotes(sql);
  return statements;
}

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
  for (const auto& sql : knex_sql("up")) knex_db.query(sql);
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

TEST_CASE("a migration's statements are knex's for its JS twin, up and down") {
  std::vector<std::string> twins;
  for (const auto* migration : bundled()) twins.push_back(migration->stem);
  CHECK(knex_migration_names() == twins);

  TestDatabase db;
  std::vector<std::string> up;
  for (const auto* migration : bundled()) {
    const auto statements = with_knex(db, [&](Knex& knex) { migration->up(knex); });
    up.insert(up.end(), statements.begin(), statements.end());
  }
  CHECK(upper(up) == upper(knex_sql("up")));

  std::vector<std::string> down;
  const auto migrations = bundled();
  for (auto it = migrations.rbegin(); it != migrations.rend(); ++it) {
    const auto statements = with_knex(db, [&](Knex& knex) { (*it)->down(knex); });
    down.insert(down.end(), statements.begin(), statements.end());
  }
  CHECK(upper(down) == upper(knex_sql("down")));
}
