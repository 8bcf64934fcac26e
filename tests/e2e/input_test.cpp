// Bad input refused with exit 2 and one line, before connecting: numbers that are not numbers,
// durations and ports out of range, an empty connection string, a named migrations folder
// that is not there; and a connection lost while reading (exit 3).
#include "../support/held_table.hpp"
#include "../support/wait_until.hpp"
#include "e2e.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

#include <fstream>
#include <map>

using namespace sonamu::test;

TEST_CASE("lock timeouts that are no number of seconds are refused (exit 2)") {
  TestDatabase db;
  for (const std::string value : {"nan", "inf", "-1", "1e300"}) {
    const auto result = migrate(db, {"run", "--lock-timeout", value});
    INFO(value << ": " << result.err);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::StartsWith("Error: "));
    CHECK(result.out.empty());
  }
  CHECK(recorded(db) == "<no table>");
}

TEST_CASE("durations PostgreSQL cannot hold are refused before connecting (exit 2)") {
  TestDatabase db;
  const auto statement = migrate(db, {"run", "--statement-timeout", "2147483648ms"});
  CHECK(statement.exit_code == 2);
  CHECK(statement.err == "Error: Invalid statement timeout '2147483648ms': PostgreSQL accepts at most "
                         "2147483647ms (about 24 days)\n");
  const auto lock = migrate(db, {"run", "--lock-timeout-sql", "25d"});
  CHECK(lock.exit_code == 2);
  CHECK(migrate(db, {"run", "--statement-timeout", "24d"}).exit_code == 0);
}

TEST_CASE("a port out of range, or an empty --connection, is bad input (exit 2)") {
  const auto port = run_migrate(ProcessSpec{{SONAMU_BINARY, "migrate", "status", "-c", "host=localhost port=99999"},
                                            empty_directory(),
                                            {{"DATABASE_URL", std::nullopt}}});
  CHECK(port.exit_code == 2);
  CHECK(port.err == "Error: Invalid connection string in --connection: port \"99999\" is not between 1 and 65535\n");
  const auto url = run_migrate(ProcessSpec{{SONAMU_BINARY, "migrate", "status", "-c", "postgresql://localhost:0/x"},
                                           empty_directory(),
                                           {{"DATABASE_URL", std::nullopt}}});
  CHECK(url.exit_code == 2);
  const auto empty = run_migrate(ProcessSpec{{SONAMU_BINARY, "migrate", "status", "-c", ""},
                                             empty_directory(),
                                             {{"DATABASE_URL", std::nullopt}}});
  CHECK(empty.exit_code == 2);
  CHECK(empty.err == "Error: Invalid connection string in --connection: it is empty\n");
}

TEST_CASE("a number no double holds in the configuration names the file (exit 2)") {
  const ScratchDirectory project("sonamu-config-number");
  const std::string path = (project.path() / "sonamu.config.json").string();
  std::ofstream(path) << R"({"migrations": {"lockTimeout": 1e400}})";
  const auto result = run_migrate(ProcessSpec{{SONAMU_BINARY, "migrate", "status"}, project.string(),
                                              {{"DATABASE_URL", std::nullopt}}});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::StartsWith("Error: " + path + ": "));
}

TEST_CASE("the README's options table says which commands take each option, as their --help does") {
  std::ifstream readme(std::string(SONAMU_SOURCE_DIR) + "/README.md");
  const std::vector<std::string> commands = {"run",    "up",     "rollback", "down", "status", "make",  "verify",
                                             "history", "lint", "unlock",   "forget", "mark", "accept"};
  std::map<std::string, std::string> help;
  for (const auto& command : commands) {
    const auto result = run_process(ProcessSpec{{SONAMU_BINARY, "migrate", command, "--help"}, "", {}});
    REQUIRE(result.exit_code == 0);
    help[command] = result.out;
  }
  std::string line;
  int rows = 0;
  bool in_table = false;
  while (std::getline(readme, line)) {
    if (line == "| option | default | commands | meaning |") in_table = true;
    if (!in_table || line.rfind("| `-", 0) != 0) {
      if (in_table && rows > 0 && line.empty()) break;
      continue;
    }
    ++rows;
    // | `-c, --connection URL` | default | commands | meaning |
    const auto long_start = line.find("--");
    const std::string option = line.substr(long_start, line.find_first_of(" `", long_start) - long_start);
    const auto third = line.find(" | ", line.find(" | ", 1) + 3) + 3;
    const std::string taken_by = line.substr(third, line.find(" | ", third) - third);
    for (const auto& command : commands) {
      const bool claimed = taken_by == "all"              ? true
                           : taken_by == "all but `make`" ? command != "make"
                                                          : taken_by.find("`" + command + "`") != std::string::npos;
      const bool listed = help[command].find(option + " ") != std::string::npos ||
                          help[command].find(option + "\n") != std::string::npos ||
                          help[command].find(option + ",") != std::string::npos;
      INFO(option << " for " << command << " (README: " << taken_by << ")");
      CHECK(claimed == listed);
    }
  }
  CHECK(rows == 12);
}

TEST_CASE("a migrations folder that was named but does not exist is refused (exit 2)") {
  TestDatabase db;
  const ScratchDirectory project("sonamu-missing-folder");
  const auto flag = run_migrate(ProcessSpec{
      {SONAMU_BINARY, "migrate", "status", "--migrations-dir", "nowhere", "-c", db.conninfo()},
      project.string(),
      {{"DATABASE_URL", std::nullopt}}});
  CHECK(flag.exit_code == 2);
  CHECK(flag.err == "Error: The migrations folder nowhere does not exist (--migrations-dir or the config "
                    "file's directory)\n");
  std::ofstream(project.path() / "sonamu.config.json") << R"({"migrations": {"directory": "db/migrations"}})";
  const auto config = run_migrate(ProcessSpec{{SONAMU_BINARY, "migrate", "run", "-c", db.conninfo()},
                                              project.string(),
                                              {{"DATABASE_URL", std::nullopt}}});
  CHECK(config.exit_code == 2);
  CHECK_THAT(config.err, Catch::Contains("db/migrations does not exist"));
  CHECK(recorded(db) == "<no table>");
}

TEST_CASE("a migrations folder that was named but is a file is refused as such (exit 2)") {
  TestDatabase db;
  const ScratchDirectory project("sonamu-folder-is-file");
  std::ofstream(project.path() / "migrations.txt") << "not a folder";
  const auto result = run_migrate(ProcessSpec{
      {SONAMU_BINARY, "migrate", "run", "--migrations-dir", "migrations.txt", "-c", db.conninfo()},
      project.string(),
      {{"DATABASE_URL", std::nullopt}}});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "Error: The migrations folder migrations.txt is not a folder (--migrations-dir or the "
                      "config file's directory)\n");
  CHECK(recorded(db) == "<no table>");
}

TEST_CASE("a connection lost while a command reads: exit 3, one plain line") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  HeldTable held(db, "knex_migrations");
  Process tool(migrate_spec(db, {"status"}));
  wait_until("status waiting for the lock", [&] {
    return db.scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                     " AND wait_event_type = 'Lock' AND application_name = 'sonamu-migrate'") == "1";
  });
  db.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
           " AND application_name = 'sonamu-migrate'");
  const auto result = split_banner(tool.wait());
  held.release();
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.err, Catch::StartsWith("Error: Lost the connection to PostgreSQL at "));
  CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
  CHECK(result.out.empty());
}
