// The production guards whatever the spelling of the environment: PRODUCTION, Production and
// " production " are production; a near spelling (prod, PRD, production-eu) is refused unless
// the configuration file defines it, and then guarded as production. A full rollback in
// production off a terminal needs --yes as well as --force. The database is checked each time.
#include "e2e.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace sonamu::test;

namespace {

const std::string two_batches = "20251220143022_create__users.cpp:1 20251220143100_create__posts.cpp:1 "
                                "20251220143200_alter_users_add1.cpp:2";

/// The bundled migrations in two batches, users holding a row.
void apply_two_batches(const TestDatabase& db) {
  REQUIRE(migrate(db, {"run", "--to", "20251220143100_create__posts"}).exit_code == 0);
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  db.query(R"(INSERT INTO "users" ("email", "phone") VALUES ('a@example.com', '010'))");
  REQUIRE(recorded(db) == two_batches);
}

MigrateResult with_node_env(const TestDatabase& db, const std::vector<std::string>& args, const std::string& node_env,
                            const std::string& cwd = "") {
  ProcessSpec spec = migrate_spec(db, args, SONAMU_BINARY, {{"NODE_ENV", node_env}});
  if (!cwd.empty()) spec.cwd = cwd;
  return run_migrate(spec);
}

void nothing_changed(const TestDatabase& db) {
  CHECK(recorded(db) == two_batches);
  CHECK(db.scalar("SELECT count(phone) FROM users") == "1");
}

}  // namespace

TEST_CASE("PRODUCTION, Production and production with spaces are production: every wide rollback is refused") {
  TestDatabase db;
  apply_two_batches(db);
  for (const std::string spelling : {"PRODUCTION", "Production", "production ", " production"}) {
    INFO("NODE_ENV='" << spelling << "'");
    const auto all = with_node_env(db, {"rollback", "--all"}, spelling);
    CHECK(all.exit_code == 2);
    CHECK(all.err == "Error: Refusing `rollback --all` in production: it reverts every migration and drops every "
                     "table they created; pass --force if that is really intended\n");
    const auto steps = with_node_env(db, {"rollback", "--step", "1000000"}, spelling);
    CHECK(steps.exit_code == 2);
    CHECK_THAT(steps.banner, Catch::StartsWith("Environment: production, database: "));
    CHECK(steps.err == "Error: Refusing in production a rollback of 3 migrations from 2 batches: it reverts more "
                       "than the latest batch; pass --force if that is really intended\n");
    const auto to = with_node_env(db, {"rollback", "--to", "20251220143022_create__users"}, spelling);
    CHECK(to.exit_code == 2);
    CHECK(to.err == "Error: Refusing in production a rollback of 2 migrations from 2 batches: it reverts more "
                    "than the latest batch; pass --force if that is really intended\n");
    nothing_changed(db);
  }
}

TEST_CASE("a near spelling of production is refused unless the configuration file defines it") {
  TestDatabase db;
  apply_two_batches(db);
  for (const std::string spelling : {"prod", "PRD", "production-eu"}) {
    INFO("NODE_ENV='" << spelling << "'");
    const auto refused = with_node_env(db, {"rollback"}, spelling);
    CHECK(refused.exit_code == 2);
    CHECK(refused.err == "Error: Unknown environment '" + spelling +
                             "': a name whose first word is prod, prd or production is production only as "
                             "'production' (any case) or when sonamu.config.json defines it in environments\n");
    nothing_changed(db);
  }
  // Defined, it is guarded as production.
  const ScratchDirectory project("sonamu-environments");
  std::ofstream(project.path() / "sonamu.config.json") << R"({"environments": {"production-eu": {}}})";
  const auto defined = with_node_env(db, {"rollback", "--all"}, "production-eu", project.string());
  CHECK(defined.exit_code == 2);
  CHECK_THAT(defined.err, Catch::StartsWith("Error: Refusing `rollback --all` in production"));
  nothing_changed(db);
}

TEST_CASE("off a terminal a full rollback in production needs --yes as well as --force") {
  TestDatabase db;
  apply_two_batches(db);
  const auto all = with_node_env(db, {"rollback", "--all", "--force"}, "production");
  CHECK(all.exit_code == 2);
  CHECK(all.err == "Error: Refusing `rollback --all --force` in production without --yes: stdin is not a terminal, "
                   "and it drops every table the migrations created; pass --yes as well if that is really intended\n");
  nothing_changed(db);
  const auto steps = with_node_env(db, {"rollback", "--step", "1000000", "--force"}, "production");
  CHECK(steps.exit_code == 2);
  CHECK(steps.err == "Error: Refusing in production a rollback of 3 migrations from 2 batches with --force but "
                     "without --yes: stdin is not a terminal; pass --yes as well if that is really intended\n");
  nothing_changed(db);

  const auto confirmed = with_node_env(db, {"rollback", "--all", "--force", "--yes"}, "production");
  CHECK(confirmed.exit_code == 0);
  CHECK(recorded(db) == "");
  CHECK_FALSE(db.has_table("users"));
}
