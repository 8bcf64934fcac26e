// The configured limits (--lock-timeout-sql, --statement-timeout) on every statement the tool
// sends, not only on migrations: another session holds a bookkeeping table in ACCESS EXCLUSIVE
// mode, and each command that reads or changes it gives up at the limit with exit 5 and one
// line, instead of waiting for that session, and changes nothing. pg_dump, for --backup, waits
// for a table no longer than that either.
#include "e2e.hpp"
#include "prompted_rollback.hpp"

#include "../support/held_table.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using namespace sonamu::test;

namespace {

const std::string first = "20251220143022_create__users.cpp";
const std::string second = "20251220143100_create__posts.cpp";

/// Another session's open transaction holding `table` in ACCESS EXCLUSIVE mode.
class TableHolder {
 public:
  TableHolder(const TestDatabase& db, const std::string& table) : held_(db, table) {
    // LOCK TABLE has returned: the lock is granted, as pg_locks shows.
    REQUIRE(db.scalar("SELECT count(*) FROM pg_locks WHERE granted AND mode = 'AccessExclusiveLock'"
                      " AND relation = $1::regclass",
                      table) == "1");
  }

 private:
  HeldTable held_;
};

/// The message of a read of `table` given up at a limit (`cause`: "lock timeout", ...).
std::string limit_message(const std::string& table, const std::string& cause) {
  return "Could not read public." + table +
         " within the configured limits (--lock-timeout-sql, --statement-timeout): another session holds it "
         "(canceling statement due to " + cause + ")";
}

/// The same as the one line on stderr.
std::string could_not_read(const std::string& table, const std::string& cause) {
  return "Error: " + limit_message(table, cause) + "\n";
}

}  // namespace

TEST_CASE("status, verify, mark, forget and accept read the records under --lock-timeout-sql: exit 5") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  const std::string before = recorded(db);
  const TableHolder holder(db, "knex_migrations");
  const std::vector<std::vector<std::string>> commands = {
      {"status"}, {"verify"}, {"mark", second, "--yes"}, {"forget", first, "--yes"}, {"accept", first}};
  for (auto args : commands) {
    args.insert(args.end(), {"--lock-timeout-sql", "1s"});
    const auto result = migrate(db, args);
    INFO(args.front() << ": " << result.err);
    CHECK(result.exit_code == 5);
    CHECK(result.err == could_not_read("knex_migrations", "lock timeout"));
    CHECK(result.out.empty());
  }
  // --json: the same failure in the document.
  const auto json = migrate(db, {"status", "--json", "--lock-timeout-sql", "1s"});
  CHECK(json.exit_code == 5);
  const auto document = nlohmann::json::parse(json.out);
  CHECK(document["exit_code"] == 5);
  CHECK(document["error"]["message"] == limit_message("knex_migrations", "lock timeout"));
}

TEST_CASE("each read of a held bookkeeping table gives up at its limit, with or without flags: exit 5") {
  struct HeldRead {
    std::string name;
    std::string table;               ///< held by another session while `args` run
    std::vector<std::string> args;
    std::string cause;               ///< "lock timeout" or "statement timeout"
    bool nothing_printed;            ///< stdout is checked to be empty too
  };
  const auto read = GENERATE(values<HeldRead>({
      // Without a flag: the default lock_timeout of 5s ends a read of status.
      {"status, default limits", "knex_migrations", {"status"}, "lock timeout", false},
      // --statement-timeout ends a read that waits, with lock_timeout off.
      {"status, --statement-timeout", "knex_migrations",
       {"status", "--lock-timeout-sql", "0", "--statement-timeout", "1s"}, "statement timeout", false},
      {"history, --statement-timeout", "knex_migrations_history",
       {"history", "--lock-timeout-sql", "0", "--statement-timeout", "1s"}, "statement timeout", false},
      // history reads its table under --lock-timeout-sql.
      {"history, --lock-timeout-sql", "knex_migrations_history", {"history", "--lock-timeout-sql", "1s"},
       "lock timeout", true},
      // status reads the applied sources under --lock-timeout-sql.
      {"status of the sources, --lock-timeout-sql", "knex_migrations_sources",
       {"status", "--lock-timeout-sql", "1s"}, "lock timeout", false},
  }));
  INFO(read.name);
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  const TableHolder holder(db, read.table);
  const auto result = migrate(db, read.args);
  CHECK(result.exit_code == 5);
  CHECK(result.err == could_not_read(read.table, read.cause));
  if (read.nothing_printed) CHECK(result.out.empty());
}

TEST_CASE("unlock and mark change the bookkeeping under --lock-timeout-sql: exit 5, nothing changed") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  db.query("UPDATE knex_migrations_lock SET is_locked = 1");
  {
    const TableHolder holder(db, "knex_migrations_lock");
    const auto unlock = migrate(db, {"unlock", "--lock-timeout-sql", "1s"});
    CHECK(unlock.exit_code == 5);
    CHECK(unlock.err == "Error: Stopped within the configured limits (--lock-timeout-sql, --statement-timeout): "
                        "canceling statement due to lock timeout\n");
  }
  CHECK(db.scalar("SELECT is_locked FROM knex_migrations_lock") == "1");
  db.query("UPDATE knex_migrations_lock SET is_locked = 0");
  {
    // mark reads the records, then writes its line of history: that table is held.
    const TableHolder holder(db, "knex_migrations_history");
    const auto mark = migrate(db, {"mark", second, "--yes", "--lock-timeout-sql", "1s"});
    CHECK(mark.exit_code == 5);
    CHECK(mark.err == "Error: Stopped within the configured limits (--lock-timeout-sql, --statement-timeout): "
                      "canceling statement due to lock timeout\n");
  }
  CHECK(recorded(db) == first + ":1");
}

TEST_CASE("--backup: pg_dump waits for a held table no longer than --lock-timeout-sql; nothing rolled back") {
  TestDatabase db;
  REQUIRE(migrate(db, {"run", "--to", "20251220143100_create__posts"}).exit_code == 0);
  REQUIRE(migrate(db, {"up"}).exit_code == 0);  // batch 2 adds users.phone
  db.query(R"(INSERT INTO "users" ("email", "phone") VALUES ('a@example.com', '010'))");
  const ScratchDirectory scratch("sonamu-limits-backup");
  const std::string dump = (scratch.path() / "before.sql").string();
  // On a terminal the rollback asks before it dumps, holding no lock while it asks: the table
  // is taken then, between the tool's measuring and pg_dump's locking.
  PromptedRollback rollback(db, "--backup " + dump + " --lock-timeout-sql 1s");
  {
    const TableHolder holder(db, "users");
    rollback.type("y\n");
    const auto result = rollback.wait();
    rollback.close_keyboard();
    INFO(result.out);
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.out, Catch::Contains("Error: Backup to " + dump + " failed (") &&
                               Catch::Contains("canceling statement due to statement timeout") &&
                               Catch::Contains("); nothing was rolled back"));
  }
  CHECK_FALSE(std::filesystem::exists(dump));
  CHECK(db.scalar("SELECT count(phone) FROM users") == "1");
  CHECK(db.scalar("SELECT max(batch) FROM knex_migrations") == "2");
}

TEST_CASE("status --fleet: the listing query and each target's reads run under --lock-timeout-sql: exit 5") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  db.query("CREATE TABLE tenants (name text)");
  db.query("INSERT INTO tenants VALUES ('public')");
  const ScratchDirectory project("sonamu-limits-fleet");
  std::ofstream(project.path() / "sonamu.config.json")
      << "{ \"fleets\": { \"listed\": { \"connection\": \"dbname=" << db.name()
      << "\", \"schemas\": \"SELECT name FROM tenants\" }, \"fixed\": { \"targets\": [\"dbname=" << db.name()
      << "\"] } } }\n";
  const auto fleet = [&](const std::string& name) {
    return run_migrate(ProcessSpec{{SONAMU_BINARY, "migrate", "status", "--fleet", name, "--lock-timeout-sql", "1s"},
                                   project.string(),
                                   {{"DATABASE_URL", std::nullopt}}});
  };
  {
    const TableHolder holder(db, "tenants");
    const auto listing = fleet("listed");
    CHECK(listing.exit_code == 5);
    CHECK(listing.err == "Error: The target query of fleet listed did not finish on " + server_description(db.name()) +
                             " within the configured limits (--lock-timeout-sql, --statement-timeout): canceling "
                             "statement due to lock timeout\n");
  }
  const TableHolder holder(db, "knex_migrations");
  const auto target = fleet("fixed");
  INFO(target.out << target.err);
  CHECK(target.exit_code == 5);
  CHECK_THAT(target.out + target.err, Catch::Contains(limit_message("knex_migrations", "lock timeout")));
}
