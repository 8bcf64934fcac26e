// Rolling back a migration whose source was edited since it was applied: the down that runs
// is not the one recorded at apply time. Said before anything runs; refused in production
// until the edit is accepted. A table of source hashes of another layout is refused, never
// read as every migration edited.
#include "e2e.hpp"

#include <catch2/catch.hpp>

using namespace sonamu::test;

namespace {

/// The newest applied migration, as recorded.
std::string newest(const TestDatabase& db) {
  return db.scalar("SELECT name FROM knex_migrations ORDER BY id DESC LIMIT 1");
}

/// Records `name` as applied from another version of its file than the one compiled in.
void edit_since_applied(const TestDatabase& db, const std::string& name) {
  db.query("UPDATE knex_migrations_sources SET source_hash = repeat('0', 64) WHERE name = '" + name + "'");
}

std::string edited_line(const std::string& name) {
  return "[warning] " + name + " was edited since it was applied: the down that runs is the edited one, not the one "
         "recorded at apply time (if the edit is intended: sonamu migrate accept " + name + ")\n";
}

std::string applied_state(const TestDatabase& db) {
  return db.scalar("SELECT count(*) FROM knex_migrations") + ":" + (db.has_table("users") ? "users" : "no users");
}

/// `run` of the six bundled migrations (one batch), their source hashes recorded.
void applied(const TestDatabase& db) {
  REQUIRE(migrate(db, {"run"}).exit_code == 0);
  REQUIRE(db.scalar("SELECT count(*) FROM knex_migrations_sources WHERE length(source_hash) = 64") == "6");
}

MigrateResult in_production(const TestDatabase& db, const std::vector<std::string>& args) {
  return run_migrate(migrate_spec(db, args, SONAMU_BINARY, {{"NODE_ENV", "production"}}));
}

}  // namespace

TEST_CASE("rollback, rollback --dry-run and lint --rollback say first that an edited down is not the applied one") {
  TestDatabase db;
  applied(db);
  const std::string name = newest(db);
  edit_since_applied(db, name);

  const auto dry = migrate(db, {"rollback", "--dry-run"});
  CHECK(dry.exit_code == 0);
  CHECK_THAT(dry.err, Catch::StartsWith(edited_line(name)));
  CHECK(applied_state(db) == "6:users");

  const auto lint = migrate(db, {"lint", "--rollback"});
  CHECK(lint.exit_code == 0);
  CHECK_THAT(lint.err, Catch::StartsWith(edited_line(name)));
  CHECK(applied_state(db) == "6:users");

  const auto rollback = migrate(db, {"rollback"});
  CHECK(rollback.exit_code == 0);
  CHECK(rollback.err == edited_line(name));
  CHECK_THAT(rollback.out, Catch::StartsWith("Batch 1 rolled back: 6 migrations\n"));
  CHECK(applied_state(db) == "0:no users");
}

TEST_CASE("in production a rollback of an edited migration is refused until the edit is accepted") {
  TestDatabase db;
  applied(db);
  const std::string name = newest(db);
  edit_since_applied(db, name);

  const auto refused = in_production(db, {"rollback", "--yes"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err == edited_line(name) + "Error: Refusing in production to roll back " + name +
                           ": edited since applied, so the down that would run is not the one recorded at apply "
                           "time; if the edited down is the one to run, accept the edit first (sonamu migrate "
                           "accept " + name + "): nothing was changed\n");
  CHECK(applied_state(db) == "6:users");
  CHECK(db.scalar("SELECT is_locked FROM knex_migrations_lock") == "0");

  // A dry run in production changes nothing: it says so, and rehearses.
  const auto dry = in_production(db, {"rollback", "--dry-run"});
  CHECK(dry.exit_code == 0);
  CHECK_THAT(dry.err, Catch::StartsWith(edited_line(name)));
  CHECK(applied_state(db) == "6:users");

  REQUIRE(migrate(db, {"accept", name}).exit_code == 0);
  const auto accepted = in_production(db, {"rollback", "--yes"});
  CHECK(accepted.exit_code == 0);
  CHECK(accepted.err.empty());
  CHECK(applied_state(db) == "0:no users");
}

TEST_CASE("a table of source hashes whose source_hash is not text is another layout: refused, exit 4") {
  TestDatabase db;
  applied(db);
  db.query("ALTER TABLE knex_migrations_sources ALTER COLUMN source_hash TYPE bytea"
           " USING convert_to(source_hash, 'UTF8')");
  const std::string refusal =
      "Error: The table public.knex_migrations_sources is not this tool's table of source hashes (its column "
      "source_hash is of type bytea, not text); rename it, or choose another --table\n";
  const auto status = migrate(db, {"status"});
  CHECK(status.exit_code == 4);
  CHECK(status.err == refusal);
  const auto rollback = migrate(db, {"rollback"});
  CHECK(rollback.exit_code == 4);
  CHECK(rollback.err == refusal);
  CHECK(applied_state(db) == "6:users");
}
