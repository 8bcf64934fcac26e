// `migrate schema` as a user runs it: the snapshot printed, written to a file, given as JSON,
// and compared with a file, equal and after changes made by hand.
#include "e2e.hpp"

#include "../support/held_table.hpp"

#include "core/schema_snapshot.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace sonamu::test;

namespace {

/// The bundled migrations applied (their bookkeeping tables with them), and a schema of the
/// test's own.
void prepare(const TestDatabase& db) {
  REQUIRE(migrate(db, {"run"}).exit_code == 0);
  db.query("CREATE SCHEMA shop; CREATE TABLE shop.items (id serial PRIMARY KEY, name text NOT NULL, phone text)");
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("migrate schema prints the snapshot with its fingerprint; --file writes the same bytes") {
  TestDatabase db;
  prepare(db);
  const ScratchDirectory folder("sonamu-schema");
  const auto printed = migrate(db, {"schema"}, SONAMU_BINARY, folder.string());
  REQUIRE(printed.exit_code == 0);
  CHECK(printed.err.empty());
  const auto snapshot = sonamu::parse_schema_text(printed.out);
  CHECK(sonamu::schema_file_text(snapshot) == printed.out);  // the header names this fingerprint
  CHECK_THAT(printed.out, Catch::Contains("table shop items\n  TABLE (id, name, phone)\n"));
  CHECK_THAT(printed.out, Catch::Contains("column shop items.name\n  text NOT NULL\n"));
  CHECK_THAT(printed.out, Catch::Contains("column shop items.id\n  integer NOT NULL DEFAULT "
                                          "nextval('shop.items_id_seq'::regclass)\n"));
  CHECK_THAT(printed.out, Catch::Contains("table public users\n"));  // a bundled migration's
  CHECK_THAT(printed.out, !Catch::Contains("knex_migrations"));

  const auto written = migrate(db, {"schema", "--file", "schema.sql"}, SONAMU_BINARY, folder.string());
  REQUIRE(written.exit_code == 0);
  CHECK(written.out == "Schema written to schema.sql: " + std::to_string(snapshot.objects.size()) + " objects, " +
                           sonamu::schema_fingerprint(snapshot) + "\n");
  CHECK(read(folder.path() / "schema.sql") == printed.out);
  // The temporary file was renamed: nothing else is left in the folder.
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder.path())) {
    files.push_back(entry.path().filename().string());
  }
  CHECK(files == std::vector<std::string>{"schema.sql"});
}

TEST_CASE("migrate schema --json gives the fingerprint and every object") {
  TestDatabase db;
  prepare(db);
  const auto text = migrate(db, {"schema"});
  const auto result = migrate(db, {"schema", "--json"});
  REQUIRE(result.exit_code == 0);
  const auto document = nlohmann::json::parse(result.out);
  const auto snapshot = sonamu::parse_schema_text(text.out);
  CHECK(document["command"] == "schema");
  CHECK(document["exit_code"] == 0);
  CHECK(document["fingerprint"] == sonamu::schema_fingerprint(snapshot));
  REQUIRE(document["objects"].size() == snapshot.objects.size());
  CHECK(document["objects"][0] == nlohmann::json{{"schema", snapshot.objects[0].schema},
                                                 {"kind", snapshot.objects[0].kind},
                                                 {"name", snapshot.objects[0].name},
                                                 {"definition", snapshot.objects[0].definition}});
}

TEST_CASE("migrate schema --check: exit 0 and one line when equal, exit 1 naming each object changed by hand") {
  TestDatabase db;
  prepare(db);
  const ScratchDirectory folder("sonamu-schema-check");
  REQUIRE(migrate(db, {"schema", "--file", "schema.sql"}, SONAMU_BINARY, folder.string()).exit_code == 0);
  const auto snapshot = sonamu::parse_schema_text(read(folder.path() / "schema.sql"));

  const auto equal = migrate(db, {"schema", "--check", "schema.sql"}, SONAMU_BINARY, folder.string());
  CHECK(equal.exit_code == 0);
  CHECK(equal.out == "Schema matches schema.sql: " + std::to_string(snapshot.objects.size()) + " objects, " +
                         sonamu::schema_fingerprint(snapshot) + "\n");

  db.query("ALTER TABLE shop.items DROP COLUMN phone; CREATE INDEX items_name_idx ON shop.items (name); "
           "ALTER TABLE shop.items ALTER COLUMN name SET DEFAULT 'none'; GRANT SELECT ON shop.items TO PUBLIC");
  const auto changed = migrate(db, {"schema", "--check", "schema.sql"}, SONAMU_BINARY, folder.string());
  CHECK(changed.exit_code == 1);
  CHECK(changed.out == "Schema differs from schema.sql: 2 added, 1 dropped, 2 changed\n"
                       "  table shop.items: changed\n"
                       "  column shop.items.name: changed\n"
                       "  column shop.items.phone: dropped\n"
                       "  index shop.items_name_idx: added\n"
                       "  grants on table shop.items: added\n");

  const auto json = migrate(db, {"schema", "--check", "schema.sql", "--json"}, SONAMU_BINARY, folder.string());
  CHECK(json.exit_code == 1);
  const auto document = nlohmann::json::parse(json.out);
  CHECK(document["equal"] == false);
  CHECK(document["file_fingerprint"] == sonamu::schema_fingerprint(snapshot));
  REQUIRE(document["changes"].size() == 5);
  CHECK(document["changes"][1] == nlohmann::json{{"change", "changed"},
                                                 {"kind", "column"},
                                                 {"schema", "shop"},
                                                 {"name", "items.name"},
                                                 {"object", "column shop.items.name"},
                                                 {"definition", "text NOT NULL DEFAULT 'none'::text"},
                                                 {"before", "text NOT NULL"}});
}

TEST_CASE("migrate schema refuses a file it cannot read or write (exit 2); --file and --check exclude each other") {
  TestDatabase db;
  const ScratchDirectory folder("sonamu-schema-bad");
  std::ofstream(folder.path() / "bad.sql") << "-- a schema\n  definition without an object\n";
  const auto bad = migrate(db, {"schema", "--check", "bad.sql"}, SONAMU_BINARY, folder.string());
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "Error: bad.sql: Schema text, line 2: a definition before any object\n");
  const auto missing = migrate(db, {"schema", "--check", "none.sql"}, SONAMU_BINARY, folder.string());
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "Error: Cannot read the schema file none.sql: No such file or directory\n");
  const auto nowhere = migrate(db, {"schema", "--file", "nowhere/schema.sql"}, SONAMU_BINARY, folder.string());
  CHECK(nowhere.exit_code == 2);
  CHECK(nowhere.err == "Error: Cannot write a temporary file in nowhere: No such file or directory\n");
  const auto both = migrate(db, {"schema", "--file", "a.sql", "--check", "bad.sql"}, SONAMU_BINARY, folder.string());
  CHECK(both.exit_code == 2);
  CHECK_FALSE(std::filesystem::exists(folder.path() / "a.sql"));
}

TEST_CASE("migrate schema waits for a table held by another session no longer than --lock-timeout-sql (exit 5)") {
  TestDatabase db;
  prepare(db);
  {
    // The server renders a column's default only with its table open: behind ACCESS EXCLUSIVE.
    HeldTable held(db, "shop", "items");
    const auto waited = migrate(db, {"schema", "--lock-timeout-sql", "200ms"});
    CHECK(waited.exit_code == 5);
    CHECK(waited.out.empty());
    CHECK_THAT(waited.err, Catch::Contains("lock timeout"));
  }
  CHECK(migrate(db, {"schema", "--lock-timeout-sql", "200ms"}).exit_code == 0);
}
