// Bad input refused with exit 2 and one line, before connecting: numbers that are not numbers,
// durations and ports out of range (on the command line or in the config file), an empty
// connection string, a named migrations folder that is not there, two ways of choosing what a
// rollback reverts; and a connection lost while reading (exit 3).
#include "../support/held_table.hpp"
#include "../support/wait_until.hpp"
#include "e2e.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

#include <fstream>
#include <map>
#include <sstream>

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

TEST_CASE("the options table of docs/commands.md says which commands take each option, as their --help does") {
  std::ifstream readme(std::string(SONAMU_SOURCE_DIR) + "/docs/commands.md");
  const std::vector<std::string> commands = {"run",    "up",     "rollback", "down", "status", "make",  "verify",
                                             "history", "lint", "unlock",   "forget", "mark", "accept", "schema", "init"};
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
                           : taken_by == "all but `make` and `init`" ? command != "make" && command != "init"
                                                          : taken_by.find("`" + command + "`") != std::string::npos;
      const bool listed = help[command].find(option + " ") != std::string::npos ||
                          help[command].find(option + "\n") != std::string::npos ||
                          help[command].find(option + ",") != std::string::npos;
      INFO(option << " for " << command << " (docs/commands.md: " << taken_by << ")");
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

namespace {

/// Two batches of the bundled migrations, and one row a rollback would delete.
void two_batches(const TestDatabase& db) {
  REQUIRE(migrate(db, {"run", "--to", "20251220143100_create__posts"}).exit_code == 0);
  REQUIRE(migrate(db, {"run"}).exit_code == 0);
  db.query("INSERT INTO users (email) VALUES ('a@example.com')");
}

/// The records, the history and the rows: what a refused command must leave as it was.
std::string database_state(const TestDatabase& db) {
  return recorded(db) + " | " + db.scalar("SELECT count(*) FROM knex_migrations_history") + " | " +
         db.scalar("SELECT count(*) FROM users");
}

struct Conflict {
  std::vector<std::string> flags;
  std::string line;  ///< the one line on stderr
};

/// Every pair of --all, --step 1 and --to NAME, in both orders, and the line refusing it: the
/// same line whatever the order.
std::vector<Conflict> rollback_conflicts() {
  const std::vector<std::string> all = {"--all"}, step = {"--step", "1"}, to = {"--to", "20251220143022_create__users"};
  const auto both = [](std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  const std::string help = " (see sonamu --help)\n";
  return {{both(step, all), "Error: --all excludes --step" + help}, {both(all, step), "Error: --all excludes --step" + help},
          {both(to, all), "Error: --all excludes --to" + help},     {both(all, to), "Error: --all excludes --to" + help},
          {both(to, step), "Error: --to excludes --step" + help},   {both(step, to), "Error: --to excludes --step" + help}};
}

}  // namespace

TEST_CASE("rollback and lint --rollback refuse any two of --all, --step and --to: exit 2, one line, nothing changed") {
  TestDatabase db;
  two_batches(db);
  const std::string before = database_state(db);
  for (const std::vector<std::string>& command : {std::vector<std::string>{"rollback"}, {"rollback", "--yes"},
                                                 {"lint", "--rollback"}}) {
    for (const auto& conflict : rollback_conflicts()) {
      auto args = command;
      args.insert(args.end(), conflict.flags.begin(), conflict.flags.end());
      const auto result = migrate(db, args);
      std::string shown;
      for (const auto& arg : args) shown += arg + ' ';
      INFO(shown);
      CHECK(result.exit_code == 2);
      CHECK(result.err == conflict.line);
      CHECK(result.banner.empty());
      CHECK(result.out.empty());
      CHECK(database_state(db) == before);
    }
  }
  // Refused before connecting: a server that cannot be reached changes nothing of it.
  const auto unreachable = run_migrate(ProcessSpec{
      {SONAMU_BINARY, "migrate", "rollback", "--step", "1", "--all", "-c", "host=/nonexistent dbname=x"},
      empty_directory(),
      {{"DATABASE_URL", std::nullopt}}});
  CHECK(unreachable.exit_code == 2);
  CHECK(unreachable.err == "Error: --all excludes --step (see sonamu --help)\n");
}

TEST_CASE("down, and rollback and down on a fleet, refuse two of them too: exit 2, one line, nothing changed") {
  TestDatabase db;
  two_batches(db);
  const std::string before = database_state(db);
  const ScratchDirectory project("sonamu-fleet-flags");
  std::ofstream(project.path() / "sonamu.config.json")
      << R"({ "fleets": { "tenants": { "targets": ["dbname=)" << db.name() << R"("] } } })" << '\n';
  const auto on_fleet = [&](const std::string& command, const std::vector<std::string>& flags) {
    ProcessSpec spec{{SONAMU_BINARY, "migrate", command, "--fleet", "tenants"}, project.string(),
                     {{"DATABASE_URL", std::nullopt}}};
    spec.argv.insert(spec.argv.end(), flags.begin(), flags.end());
    return run_migrate(spec);
  };
  for (const auto& conflict : rollback_conflicts()) {
    std::string shown;
    for (const auto& flag : conflict.flags) shown += flag + ' ';
    INFO(shown);
    const auto fleet_rollback = on_fleet("rollback", conflict.flags);
    CHECK(fleet_rollback.exit_code == 2);
    CHECK(fleet_rollback.err == conflict.line);
    CHECK(fleet_rollback.out.empty());
    // down reverts one migration and takes none of the three: CLI11 names every word it did
    // not expect, last first.
    std::string unexpected;
    for (auto it = conflict.flags.rbegin(); it != conflict.flags.rend(); ++it) unexpected += (unexpected.empty() ? "" : " ") + *it;
    const std::string down_line = "Error: The following arguments were not expected: " + unexpected + " (see sonamu --help)\n";
    auto args = conflict.flags;
    args.insert(args.begin(), "down");
    const auto down = migrate(db, args);
    CHECK(down.exit_code == 2);
    CHECK(down.err == down_line);
    const auto fleet_down = on_fleet("down", conflict.flags);
    CHECK(fleet_down.exit_code == 2);
    CHECK(fleet_down.err == down_line);
    CHECK(database_state(db) == before);
  }
}

TEST_CASE("a lock retry delay that is no number of seconds is refused (exit 2)") {
  TestDatabase db;
  two_batches(db);
  const std::string before = database_state(db);
  for (const std::string value : {"nan", "-nan", "inf", "-1", "3601"}) {
    const auto result = migrate(db, {"rollback", "--yes", "--lock-retry-delay", value});
    INFO(value);
    CHECK(result.exit_code == 2);
    CHECK(result.err == "Error: --lock-retry-delay: Value " + value +
                            " not in range 0.000000 to 3600.000000 (see sonamu --help)\n");
    CHECK(result.out.empty());
  }
  CHECK(database_state(db) == before);
}

TEST_CASE("a configuration value out of range names the file and the key (exit 2, nothing changed)") {
  TestDatabase db;
  two_batches(db);
  const std::string before = database_state(db);
  const ScratchDirectory project("sonamu-config-range");
  const std::string path = (project.path() / "sonamu.config.json").string();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"migrations": {"lockRetryDelay": 5000}})", "migrations.lockRetryDelay: expected a number of seconds from 0 to 3600"},
      {R"({"migrations": {"lockTimeout": 1e9}})", "migrations.lockTimeout: expected a number of seconds from 0 to 2147483"},
      {R"({"environments": {"development": {"lockRetryDelay": -1}}})",
       "environments.development.lockRetryDelay: expected a number of seconds from 0 to 3600"},
      {R"({"migrations": {"statementTimeout": "30d"}})",
       "migrations.statementTimeout: PostgreSQL accepts at most 2147483647ms (about 24 days)"},
      {R"({"environments": {"development": {"lockTimeoutSql": "soon"}}})",
       "environments.development.lockTimeoutSql: expected a duration such as 500ms, 30s, 5min or 1h"},
      {R"({"migrations": {"backupBeforeRollback": ""}})",
       "migrations.backupBeforeRollback: expected a file name, not an empty string"},
  };
  for (const auto& [text, problem] : cases) {
    std::ofstream(path) << text;
    const auto result = run_migrate(ProcessSpec{{SONAMU_BINARY, "migrate", "rollback", "--yes", "-c", db.conninfo()},
                                                project.string(),
                                                {{"DATABASE_URL", std::nullopt}}});
    INFO(text);
    CHECK(result.exit_code == 2);
    CHECK(result.err == "Error: " + path + ": " + problem + "\n");
    CHECK(result.out.empty());
    CHECK(database_state(db) == before);
  }
}

TEST_CASE("an unknown migrate command is named with the nearest one in one line, and a bare `migrate` lists the commands: exit 2") {
  // The list every answer ends with: one line per command of `migrate --help`, in its order.
  const auto help = run_process(ProcessSpec{{SONAMU_BINARY, "migrate", "--help"}, "", {}});
  REQUIRE(help.exit_code == 0);
  const auto listed = [&](const std::string& err) {
    for (const std::string command : {"run", "up", "rollback", "down", "status", "make", "verify", "history", "lint",
                                      "unlock", "forget", "mark", "accept"}) {
      INFO(command);
      CHECK(err.find("\n  " + command + " ") != std::string::npos);
    }
  };

  const auto typo = run_process(ProcessSpec{{SONAMU_BINARY, "migrate", "rollbak", "--yes"}, "", {}});
  CHECK(typo.exit_code == 2);
  CHECK(typo.out.empty());
  CHECK(typo.err == "Error: unknown command 'rollbak' for `sonamu migrate` (did you mean 'rollback'?) (see sonamu "
                    "migrate --help)\n");

  const auto unknown = run_process(ProcessSpec{{SONAMU_BINARY, "migrate", "xyzzy"}, "", {}});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err == "Error: unknown command 'xyzzy' for `sonamu migrate` (see sonamu migrate --help)\n");

  const auto bare = run_process(ProcessSpec{{SONAMU_BINARY, "migrate"}, "", {}});
  CHECK(bare.exit_code == 2);
  CHECK(bare.out.empty());
  CHECK_THAT(bare.err, Catch::StartsWith("Error: `sonamu migrate` needs a command; the commands are:\n"));
  CHECK_THAT(bare.err, Catch::EndsWith("\n(see sonamu migrate --help)\n"));
  listed(bare.err);
}

TEST_CASE("a project's executable calls itself by its own name in usage, hints and its completion script") {
  const auto run = [](std::vector<std::string> args) {
    args.insert(args.begin(), SONAMU_FIXTURE_NAMED);
    return run_process(ProcessSpec{args, "", {}});
  };
  const auto help = run({"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("Usage: acme_migrate [OPTIONS] SUBCOMMAND\n") != std::string::npos);
  CHECK(help.out.find("sonamu ") == std::string::npos);

  const auto completion = run({"completion", "bash"});
  CHECK(completion.exit_code == 0);
  CHECK_THAT(completion.out, Catch::StartsWith("# bash completion for acme_migrate: source <(acme_migrate "
                                               "completion bash)\n_acme_migrate() {\n"));
  CHECK_THAT(completion.out, Catch::EndsWith("\ncomplete -F _acme_migrate acme_migrate\n"));

  const auto unknown = run({"migrate", "xyzzy"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err == "Error: unknown command 'xyzzy' for `acme_migrate migrate` (see acme_migrate migrate --help)\n");
  const auto bare = run({"migrate"});
  CHECK_THAT(bare.err, Catch::StartsWith("Error: `acme_migrate migrate` needs a command; the commands are:\n"));
  CHECK_THAT(bare.err, Catch::EndsWith("\n(see acme_migrate migrate --help)\n"));

  const auto flag = run({"migrate", "status", "--bogus"});
  CHECK(flag.exit_code == 2);
  CHECK(flag.err == "Error: The following argument was not expected: --bogus (see acme_migrate --help)\n");
}

TEST_CASE("rollback --help lists the options a rollback needs first, the output, connection, fleet and common ones after") {
  const auto help = run_process(ProcessSpec{{SONAMU_BINARY, "migrate", "rollback", "--help"}, "", {}});
  REQUIRE(help.exit_code == 0);
  const auto at = [&](const std::string& text) {
    const auto position = help.out.find(text);
    INFO(text);
    CHECK(position != std::string::npos);
    return position;
  };
  const auto own = at("\nOptions:\n");
  for (const std::string option : {"-y,--yes", "--backup", "--all", "--to", "--step", "--force"}) {
    const auto position = at("\n  " + option);
    CHECK(position > own);
    CHECK(position < at("\nOutput:\n"));
  }
  CHECK(at("\nOutput:\n") < at("\nConnection:\n"));
  CHECK(at("\nConnection:\n") < at("\nFleet:\n"));
  CHECK(at("\nFleet:\n") < at("\nCommon:\n"));
  CHECK(at("\n  --fleet") > at("\nFleet:\n"));
}

TEST_CASE("help at 80 columns wraps option descriptions at word boundaries") {
  const auto wide = run_process(ProcessSpec{{SONAMU_BINARY, "migrate", "rollback", "--help"}, "", {{"COLUMNS", std::nullopt}}});
  const auto narrow = run_process(ProcessSpec{{SONAMU_BINARY, "migrate", "rollback", "--help"}, "", {{"COLUMNS", "80"}}});
  REQUIRE(wide.exit_code == 0);
  REQUIRE(narrow.exit_code == 0);
  std::istringstream lines(narrow.out);
  std::string line;
  bool wrapped = false;
  while (std::getline(lines, line)) {
    INFO(line);
    // Option lines and their continuations fit; the usage and the command's own text are not options.
    if (line.rfind("  ", 0) == 0) CHECK(line.size() <= 80);
    if (line.rfind(std::string(30, ' '), 0) == 0) wrapped = true;
  }
  CHECK(wrapped);
  // The same words in the same order: only line breaks were put between them.
  const auto words = [](const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> list;
    for (std::string word; in >> word;) list.push_back(word);
    return list;
  };
  CHECK(words(narrow.out) == words(wide.out));
}
