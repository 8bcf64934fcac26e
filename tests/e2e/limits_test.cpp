// The configured limits (--lock-timeout-sql, --statement-timeout) on every statement the tool
// sends, not only on migrations: another session holds a bookkeeping table in ACCESS EXCLUSIVE
// mode, and each command that reads or changes it gives up at the limit with exit 5 and one
// line, instead of waiting for that session, and changes nothing. pg_dump, for --backup, waits
// for a table no longer than that either.
#include "e2e.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/transaction>

#include <filesystem>
#include <fstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace sonamu::test;

namespace {

const std::string first = "20251220143022_create__users.cpp";
const std::string second = "20251220143100_create__posts.cpp";

/// Another session's open transaction holding `table` in ACCESS EXCLUSIVE mode.
class TableHolder {
 public:
  TableHolder(const TestDatabase& db, const std::string& table) : cx_(db.connect()), tx_(*cx_) {
    tx_.exec("LOCK TABLE " + tx_.quote_name(table) + " IN ACCESS EXCLUSIVE MODE");
    // LOCK TABLE has returned: the lock is granted, as pg_locks shows.
    REQUIRE(db.scalar("SELECT count(*) FROM pg_locks WHERE granted AND mode = 'AccessExclusiveLock'"
                      " AND relation = $1::regclass",
                      table) == "1");
  }
  ~TableHolder() { tx_.abort(); }
  TableHolder(const TableHolder&) = delete;
  TableHolder& operator=(const TableHolder&) = delete;

 private:
  std::unique_ptr<pqxx::connection> cx_;
  pqxx::work tx_;
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

TEST_CASE("the limits hold without a flag too: the default lock_timeout of 5s ends a read of status") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  const TableHolder holder(db, "knex_migrations");
  const auto result = migrate(db, {"status"});
  CHECK(result.exit_code == 5);
  CHECK(result.err == could_not_read("knex_migrations", "lock timeout"));
}

TEST_CASE("--statement-timeout ends a read that waits, with lock_timeout off: exit 5") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  {
    const TableHolder holder(db, "knex_migrations");
    const auto status = migrate(db, {"status", "--lock-timeout-sql", "0", "--statement-timeout", "1s"});
    CHECK(status.exit_code == 5);
    CHECK(status.err == could_not_read("knex_migrations", "statement timeout"));
  }
  const TableHolder holder(db, "knex_migrations_history");
  const auto history = migrate(db, {"history", "--lock-timeout-sql", "0", "--statement-timeout", "1s"});
  CHECK(history.exit_code == 5);
  CHECK(history.err == could_not_read("knex_migrations_history", "statement timeout"));
}

TEST_CASE("history reads its table under --lock-timeout-sql: exit 5") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  const TableHolder holder(db, "knex_migrations_history");
  const auto result = migrate(db, {"history", "--lock-timeout-sql", "1s"});
  CHECK(result.exit_code == 5);
  CHECK(result.err == could_not_read("knex_migrations_history", "lock timeout"));
  CHECK(result.out.empty());
}

TEST_CASE("status reads the applied sources under --lock-timeout-sql: exit 5") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  const TableHolder holder(db, "knex_migrations_sources");
  const auto result = migrate(db, {"status", "--lock-timeout-sql", "1s"});
  CHECK(result.exit_code == 5);
  CHECK(result.err == could_not_read("knex_migrations_sources", "lock timeout"));
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
  const std::string keyboard = (scratch.path() / "keyboard").string();
  const std::string dump = (scratch.path() / "before.sql").string();
  REQUIRE(::mkfifo(keyboard.c_str(), 0600) == 0);
  // Open for reading and writing, so this never waits for the other end.
  const int keys = ::open(keyboard.c_str(), O_RDWR);
  REQUIRE(keys >= 0);
  // On a terminal (`script`) the rollback asks before it dumps, holding no lock while it asks:
  // the table is taken then, between the tool's measuring and pg_dump's locking.
  ProcessSpec spec;
  spec.argv = {"/bin/bash", "-c",
               "exec script -qec \"$0 migrate rollback --backup $2 --lock-timeout-sql 1s -c dbname=$1\" /dev/null < \"$3\"",
               SONAMU_BINARY, db.name(), dump, keyboard};
  spec.cwd = empty_directory();
  spec.env["DATABASE_URL"] = std::nullopt;
  Process rollback(spec);
  REQUIRE(rollback.wait_for_output("Roll back and delete this data? [y/N]"));
  {
    const TableHolder holder(db, "users");
    REQUIRE(::write(keys, "y\n", 2) == 2);
    const auto result = rollback.wait();
    ::close(keys);
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
