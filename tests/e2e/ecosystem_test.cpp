// Configuration and environments, scaffolding, JSON, colours, quiet/debug, version, completion.
#include "e2e.hpp"
#include "pg/store.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <regex>

using namespace sonamu::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// A project folder of its own, removed afterwards.
struct Project {
  ScratchDirectory scratch;
  fs::path dir;
  explicit Project(const std::string& name) : scratch("sonamu-" + name), dir(scratch.path()) {}
  void write(const std::string& relative, const std::string& text) const {
    fs::create_directories((dir / relative).parent_path());
    std::ofstream(dir / relative) << text;
  }
};

/// `sonamu migrate <args>` from `cwd`, with no --connection and no DATABASE_URL unless given.
MigrateResult run_sonamu(const std::vector<std::string>& args, const fs::path& cwd,
                     const std::map<std::string, std::optional<std::string>>& env = {}) {
  ProcessSpec spec;
  spec.argv = {SONAMU_BINARY, "migrate"};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.cwd = cwd.string();
  spec.env = env;
  if (spec.env.count("DATABASE_URL") == 0) spec.env["DATABASE_URL"] = std::nullopt;
  if (spec.env.count("NODE_ENV") == 0) spec.env["NODE_ENV"] = std::nullopt;
  return run_migrate(spec);
}

std::string config_for(const TestDatabase& dev, const std::string& extra_migrations = "") {
  return R"({
  "$schema": "./schema/sonamu.config.schema.json",
  "migrations": { "tableName": "app_migrations"  )" + extra_migrations + R"( },
  "environments": {
    "development": { "connection": { "database": ")" + dev.name() + R"(", "password": "dev-secret" } },
    "production": { "connection": { "database": "${PROD_DB}" }, "lockTimeout": 5 }
  }
})";
}

/// YYYYMMDDHHMMSS in UTC, as migration names begin.
std::string utc_stamp(std::chrono::system_clock::time_point at) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(at);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &parts);
  return stamp;
}

bool applied_in(const TestDatabase& db, const std::string& table) {
  // A table name cannot be bound: it is quoted, doubling any quote in it.
  std::string quoted = "\"";
  for (const char c : table) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return db.has_table(table) && db.scalar("SELECT count(*) FROM " + quoted + "\"") != "0";
}

}  // namespace

TEST_CASE("config: environments, precedence of flags > DATABASE_URL > config > PG* variables") {
  TestDatabase dev;
  TestDatabase prod;
  TestDatabase other;
  Project project("config-project");
  project.write("sonamu.config.json", config_for(dev));

  // development by default; the config beats PGDATABASE (set for the whole suite).
  const auto run_dev = run_sonamu({"up"}, project.dir);
  CHECK(run_dev.exit_code == 0);
  CHECK_THAT(run_dev.banner, Catch::StartsWith("Environment: development, database: "));
  CHECK_THAT(run_dev.banner, Catch::EndsWith("/" + dev.name()));
  CHECK(run_dev.banner.find("dev-secret") == std::string::npos);
  CHECK(applied_in(dev, "app_migrations"));
  CHECK_FALSE(dev.has_table("knex_migrations"));

  // NODE_ENV picks the environment; ${PROD_DB} comes from the environment.
  const auto run_prod = run_sonamu({"up"}, project.dir, {{"NODE_ENV", "production"}, {"PROD_DB", prod.name()}});
  CHECK(run_prod.exit_code == 0);
  CHECK_THAT(run_prod.banner, Catch::StartsWith("Environment: production, database: "));
  CHECK(applied_in(prod, "app_migrations"));

  // --env beats NODE_ENV: production's database gets the next migration, development's not.
  const auto by_flag = run_sonamu({"up", "--env", "production"}, project.dir,
                                  {{"NODE_ENV", "development"}, {"PROD_DB", prod.name()}});
  CHECK(by_flag.exit_code == 0);
  CHECK_THAT(by_flag.banner, Catch::StartsWith("Environment: production, database: "));
  CHECK_THAT(by_flag.banner, Catch::EndsWith("/" + prod.name()));
  CHECK(prod.scalar("SELECT string_agg(name || ':' || batch, ' ' ORDER BY id) FROM app_migrations") ==
        "20251220143022_create__users.cpp:1 20251220143100_create__posts.cpp:2");
  CHECK(dev.scalar("SELECT string_agg(name || ':' || batch, ' ' ORDER BY id) FROM app_migrations") ==
        "20251220143022_create__users.cpp:1");

  // DATABASE_URL beats the config; --connection beats DATABASE_URL; --table beats tableName.
  const auto by_url = run_sonamu({"up"}, project.dir, {{"DATABASE_URL", "postgresql:///" + other.name()}});
  CHECK(by_url.exit_code == 0);
  CHECK(applied_in(other, "app_migrations"));
  TestDatabase flagged;
  const auto by_connection = run_sonamu({"up", "-c", "dbname=" + flagged.name(), "--table", "flag_migrations"},
                                        project.dir, {{"DATABASE_URL", "postgresql:///" + prod.name()}});
  CHECK(by_connection.exit_code == 0);
  CHECK(applied_in(flagged, "flag_migrations"));
  CHECK(prod.scalar("SELECT count(*) FROM app_migrations") == "2");
}

TEST_CASE("config: --config, a relative migrations directory, limits") {
  TestDatabase dev;
  Project project("config-explicit");
  project.write("conf/custom.json", config_for(dev, R"(, "directory": "../db/migrations", "statementTimeout": "soon")"));
  project.write("db/migrations/20990101000000_not_compiled.cpp", "// new\n");
  const auto result = run_sonamu({"run", "--config", "conf/custom.json"}, project.dir);
  CHECK(result.exit_code == 2);
  CHECK(result.err ==
        "Error: conf/custom.json: migrations.statementTimeout: expected a duration such as 500ms, 30s, 5min or 1h\n");

  project.write("conf/custom.json", config_for(dev, R"(, "directory": "../db/migrations")"));
  const auto stale = run_sonamu({"run", "--config", "conf/custom.json"}, project.dir);
  CHECK(stale.exit_code == 4);
  CHECK_THAT(stale.err, Catch::Contains((project.dir / "db" / "migrations").string() +
                                        " are not compiled into this binary: 20990101000000_not_compiled.cpp"));
}

TEST_CASE("config: unknown keys, wrong types, missing environments and unset variables are exit 2") {
  TestDatabase dev;
  Project project("config-invalid");
  const std::string path = (project.dir / "sonamu.config.json").string();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"migrations": {"tablename": "x"}})",
       path + ": migrations.tablename: unknown key (expected one of: backupBeforeRollback, "
              "connectTimeout, directory, disableTransactions, extension, lockAttempts, lockRetryDelay, "
              "lockTimeout, lockTimeoutSql, outOfOrder, requireBackup, requireYes, schemaName, statementTimeout, tableName)"},
      {R"({"migrations": {"lockTimeout": "60"}})", path + ": migrations.lockTimeout: expected a number of seconds from 0 to 2147483"},
      {R"({"environments": {"development": {"connection": 5}}})",
       path + ": environments.development.connection: expected a URL string or an object with host, "
              "port, user, password, database, sslmode"},
      {R"({"environments": {"production": {}}})",
       path + ": environments.development: missing (environments defined: production)"},
      {R"({"environments": {"development": {"connection": {"password": "${NOT_SET_ANYWHERE}"}}}})",
       path + ": environments.development.connection.password: environment variable NOT_SET_ANYWHERE is not set"},
      {R"({"migrations": )", path + ": is not valid JSON ("},
  };
  for (const auto& [text, expected] : cases) {
    project.write("sonamu.config.json", text);
    const auto result = run_sonamu({"status"}, project.dir);
    INFO(text);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::StartsWith("Error: " + expected));
    CHECK(result.err.find('\n') == result.err.size() - 1);
  }
}

TEST_CASE("make writes a migration from a template and never overwrites") {
  Project project("scaffold");
  const std::string before = utc_stamp(std::chrono::system_clock::now());
  const auto made = run_sonamu({"make", "add_orders"}, project.dir, {{"TZ", "KST-9"}});
  const std::string after = utc_stamp(std::chrono::system_clock::now());
  CHECK(made.exit_code == 0);
  std::smatch match;
  REQUIRE(std::regex_match(made.out, match, std::regex("Created Migration: (migrations/(20[0-9]{12})_add_orders\\.cpp)\n")));
  // The name is the UTC time of the call (as knex's), whatever the local time zone.
  CHECK(before <= match[2].str());
  CHECK(match[2].str() <= after);
  const fs::path file = project.dir / match[1].str();
  REQUIRE(fs::exists(file));
  std::ifstream in(file);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK_THAT(text, Catch::Contains("SONAMU_MIGRATION(up, down)"));
  CHECK_THAT(text, Catch::Contains("Write down"));

  for (const char* bad : {"add orders", "1st", "drop;table", ""}) {
    const auto refused = run_sonamu({"make", bad}, project.dir);
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.err, Catch::StartsWith("Error: "));
  }
  CHECK(std::distance(fs::directory_iterator(project.dir / "migrations"), fs::directory_iterator()) == 1);
}

TEST_CASE("make --sql writes a SQL migration with up and down sections") {
  Project project("scaffold_sql");
  const auto made = run_sonamu({"make", "add_tags", "--sql"}, project.dir);
  CHECK(made.exit_code == 0);
  std::smatch match;
  REQUIRE(std::regex_match(made.out, match, std::regex("Created Migration: (migrations/20[0-9]{12}_add_tags\\.sql)\n")));
  std::ifstream in(project.dir / match[1].str());
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK_THAT(text, Catch::Contains("\n-- migrate:up\n"));
  CHECK_THAT(text, Catch::Contains("\n-- migrate:down\n"));
  CHECK(text.find("-- migrate:up") < text.find("-- migrate:down"));
  const auto again = run_sonamu({"make", "add tags", "--sql"}, project.dir);
  CHECK(again.exit_code == 2);
}

TEST_CASE("--json documents for status, run and failures; exit codes unchanged") {
  TestDatabase db;
  const auto status = migrate(db, {"status", "--json"});
  CHECK(status.exit_code == 0);
  const json pending = json::parse(status.out);
  CHECK(pending["command"] == "status");
  CHECK(pending["environment"] == "development");
  CHECK(pending["batches"].empty());
  CHECK(pending["pending"].size() == 6);
  CHECK(pending["pending"][0]["name"] == "20251220143022_create__users.cpp");

  const auto run = migrate(db, {"run", "--json"});
  CHECK(run.exit_code == 0);
  CHECK(run.err.empty());
  const json ran = json::parse(run.out);
  CHECK(ran["ok"] == true);
  CHECK(ran["result"] == "done");
  REQUIRE(ran["batches"].size() == 1);
  CHECK(ran["batches"][0]["batch"] == 1);
  CHECK(ran["batches"][0]["committed"] == true);
  CHECK(ran["batches"][0]["migrations"].size() == 6);
  CHECK(ran["batches"][0]["migrations"][5]["status"] == "applied");
  CHECK(ran["batches"][0]["migrations"][5]["duration_ms"].is_number_integer());
  CHECK(ran["error"].is_null());

  const json applied = json::parse(migrate(db, {"status", "--json"}).out);
  // UTC, ISO 8601, milliseconds.
  CHECK(std::regex_match(applied["batches"][0]["migrations"][0]["applied_at"].get<std::string>(),
                         std::regex("20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\\.[0-9]{3}Z")));
  CHECK(json::parse(migrate(db, {"run", "--json"}).out)["result"] == "nothing_to_do");

  TestDatabase failing;
  const auto failed = migrate(failing, {"run", "--json"}, SONAMU_FIXTURE_FAILING);
  CHECK(failed.exit_code == 1);
  const json error = json::parse(failed.out);
  CHECK(error["ok"] == false);
  CHECK(error["exit_code"] == 1);
  CHECK(error["error"]["migration"] == "20240101000003_broken.cpp");
  CHECK(error["error"]["sqlstate"] == "42P01");
  CHECK(error["error"]["message"] == "relation \"no_such_table\" does not exist");
  CHECK(error["batches"][0]["committed"] == false);

  const auto corrupt = migrate(failing, {"status", "--json", "--schema", "nope"});
  CHECK(corrupt.exit_code == 2);
  CHECK(json::parse(corrupt.out)["error"]["message"] ==
        "Schema \"nope\" does not exist in this database (--schema)");

  // Exit 3: the same shape, the password hidden.
  ProcessSpec unreachable;
  unreachable.argv = {SONAMU_BINARY, "migrate", "run", "--json", "-c",
                      "postgresql://app:hunter2@127.0.0.1:1/shop", "--connect-timeout", "2"};
  unreachable.cwd = empty_directory();
  unreachable.env = {{"DATABASE_URL", std::nullopt}, {"NODE_ENV", std::nullopt}};
  const auto refused = run_migrate(unreachable);
  CHECK(refused.exit_code == 3);
  json document = json::parse(refused.out);
  const std::string message = document["error"]["message"];
  CHECK_THAT(message, Catch::StartsWith("Cannot connect to PostgreSQL at 127.0.0.1:1/shop: "));
  CHECK(refused.out.find("hunter2") == std::string::npos);
  document["error"]["message"] = "";
  CHECK(document == json::parse(R"({"command": "run", "environment": "development",
    "database": "127.0.0.1:1/shop", "ok": false, "exit_code": 3, "error": {"message": ""}})"));
}

TEST_CASE("plain ASCII with NO_COLOR or --no-color; emoji and no escapes when piped") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  const auto piped = migrate(db, {"status"});
  CHECK(piped.out.find("  ✅ 20251220143022_create__users.cpp\n") != std::string::npos);
  CHECK(piped.out.find('\033') == std::string::npos);
  const auto no_color = run_migrate(migrate_spec(db, {"status"}, SONAMU_BINARY, {{"NO_COLOR", "1"}}));
  CHECK(no_color.out.find("  [ok] 20251220143022_create__users.cpp\n") != std::string::npos);
  CHECK(no_color.out.find("  [pending] 20251220143100_create__posts.cpp\n") != std::string::npos);
  const auto flag = migrate(db, {"run", "--no-color"});
  CHECK(flag.out.find("[ok] 20251220150100_alter_posts_add2.cpp\n") != std::string::npos);
  const auto error = migrate(db, {"run", "--no-color"}, SONAMU_FIXTURE_FAILING);
  CHECK_THAT(error.err, Catch::Contains("The migration directory is corrupt"));
  TestDatabase fresh;
  const auto failed = migrate(fresh, {"run", "--no-color"}, SONAMU_FIXTURE_FAILING);
  CHECK(failed.exit_code == 1);
  CHECK(failed.err == "[error] Error running 20240101000003_broken.cpp\n"
                      "   Error: relation \"no_such_table\" does not exist\n");
}

TEST_CASE("colours on a terminal") {
  TestDatabase db;
  // `script` gives the command a pseudo-terminal, as an interactive shell would.
  ProcessSpec spec;
  spec.argv = {"/usr/bin/script", "-qec",
               std::string(SONAMU_BINARY) + " migrate status -c dbname=" + db.name(), "/dev/null"};
  spec.cwd = empty_directory();
  spec.env["DATABASE_URL"] = std::nullopt;
  const auto result = run_process(spec);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("\033[33m⏳\033[0m 20251220143022_create__users.cpp"));
}

TEST_CASE("--quiet prints only errors; --debug logs connection and lock events") {
  TestDatabase db;
  const auto quiet = migrate(db, {"run", "--quiet"});
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.out.empty());
  CHECK(quiet.err.empty());
  CHECK(quiet.banner.empty());
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "6");
  db.query(R"(ALTER TABLE "users" DROP COLUMN "nickname")");
  const auto quiet_failure = migrate(db, {"rollback", "-q"});
  CHECK(quiet_failure.exit_code == 1);
  // The newest migration's down (dropping the foreign key) works; the next one fails.
  CHECK_THAT(quiet_failure.err, Catch::StartsWith("❌ Error rolling back 20251220150000_alter_users_add2.cpp"));

  db.query(R"(ALTER TABLE "users" ADD COLUMN "nickname" varchar(50))");
  const auto debug = migrate(db, {"rollback", "--debug"});
  CHECK(debug.exit_code == 0);
  CHECK_THAT(debug.err, Catch::Contains("[debug] connecting to "));
  CHECK_THAT(debug.err, Catch::Contains("[debug] acquired migration lock"));
  CHECK_THAT(debug.err, Catch::Contains("[debug] released migration lock"));
  CHECK(debug.out == "Batch 1 rolled back: 6 migrations\n" + lines("✅ ", [] {
                       auto names = bundled(".cpp");
                       std::reverse(names.begin(), names.end());
                       return names;
                     }()));
}

TEST_CASE("status --check is a CI gate: 1 with pending migrations, 0 without") {
  TestDatabase db;
  CHECK(migrate(db, {"status", "--check"}).exit_code == 1);
  REQUIRE(migrate(db, {"run"}).exit_code == 0);
  CHECK(migrate(db, {"status", "--check"}).exit_code == 0);
}

TEST_CASE("--version and a completion script that bash loads") {
  ProcessSpec version;
  version.argv = {SONAMU_BINARY, "--version"};
  const auto printed = run_process(version);
  CHECK(printed.exit_code == 0);
  CHECK(std::regex_match(printed.out, std::regex("sonamu [0-9]+\\.[0-9]+\\.[0-9]+\n")));

  ProcessSpec bash;
  bash.argv = {"/bin/bash", "-c",
               "source <(\"$0\" completion bash) && complete -p sonamu && "
               "COMP_WORDS=(sonamu migrate roll); COMP_CWORD=2; _sonamu; echo \"${COMPREPLY[@]}\"; "
               "COMP_WORDS=(sonamu migrate rollback --al); COMP_CWORD=3; _sonamu; echo \"${COMPREPLY[@]}\"",
               SONAMU_BINARY};
  const auto loaded = run_process(bash);
  CHECK(loaded.exit_code == 0);
  CHECK(loaded.out == "complete -F _sonamu sonamu\nrollback\n--all\n");
  CHECK(loaded.err.empty());

  ProcessSpec zsh;
  zsh.argv = {SONAMU_BINARY, "completion", "zsh"};
  CHECK_THAT(run_process(zsh).out, Catch::Contains("bashcompinit"));
}

TEST_CASE("the shipped JSON Schema and the loader accept the same keys") {
  std::ifstream schema_file(fs::path(SONAMU_SOURCE_DIR) / "schema" / "sonamu.config.schema.json");
  const json schema = json::parse(schema_file);
  // A file using every key the schema documents must load (an unknown key would be exit 2).
  json config = {{"migrations", json::object()}, {"environments", {{"development", json::object()}}}};
  for (const auto& item : schema["properties"]["migrations"]["properties"].items()) {
    const auto& type = item.value().contains("$ref") ? schema["$defs"][item.value()["$ref"].get<std::string>().substr(8)]["type"]
                                                     : item.value()["type"];
    config["migrations"][item.key()] = type == "string" ? json("migrations") : type == "boolean" ? json(false) : json(5);
  }
  config["migrations"]["statementTimeout"] = "5s";
  config["migrations"]["lockTimeoutSql"] = "1s";
  config["migrations"]["outOfOrder"] = "warn";
  for (const auto& item : schema["properties"]["environments"]["additionalProperties"]["properties"].items()) {
    if (item.key() != "connection") config["environments"]["development"][item.key()] = config["migrations"][item.key()];
  }
  config["environments"]["development"]["connection"] = {{"host", "h"}, {"port", 5432}, {"user", "u"},
                                                         {"password", "p"}, {"database", "d"}, {"sslmode", "disable"}};
  Project project("schema-keys");
  project.write("sonamu.config.json", config.dump());
  const auto result = run_sonamu({"make", "probe"}, project.dir);
  INFO(result.err);
  CHECK(result.exit_code == 0);
}

TEST_CASE("config: found by searching upward from a sub-folder of the project") {
  TestDatabase dev;
  Project project("config-upward");
  project.write("sonamu.config.json", config_for(dev, R"(, "schemaName": "ops", "extension": ".js")"));
  dev.query(R"(CREATE SCHEMA "ops")");
  fs::create_directories(project.dir / "src" / "deep");
  const auto result = run_sonamu({"up", "--debug"}, project.dir / "src" / "deep");
  CHECK(result.exit_code == 0);
  CHECK(result.out == "Batch 1 run: 1 migration\n✅ 20251220143022_create__users.js\n");
  // --debug names the file first; then the banner names the database of its environment.
  CHECK_THAT(result.err, Catch::StartsWith("[debug] configuration: " +
                                           (project.dir / "sonamu.config.json").string() + "\n" +
                                           "Environment: development, database: " +
                                           server_description(dev.name()) + "\n"));
  // tableName, schemaName and extension of the file, found two folders up.
  CHECK(dev.scalar(R"(SELECT string_agg(name || ':' || batch, ' ') FROM "ops"."app_migrations")") ==
        "20251220143022_create__users.js:1");
  CHECK_FALSE(dev.has_table("knex_migrations"));
}

TEST_CASE("config: disableTransactions runs every migration alone, as knex does") {
  TestDatabase dev;
  Project project("config-no-transactions");
  project.write("sonamu.config.json", R"({"migrations": {"disableTransactions": true},
    "environments": {"development": {"connection": {"database": ")" + dev.name() + R"("}}}})");
  ProcessSpec spec;
  spec.argv = {SONAMU_FIXTURE_FAILING, "migrate", "run"};
  spec.cwd = project.dir.string();
  spec.env = {{"DATABASE_URL", std::nullopt}, {"NODE_ENV", std::nullopt}};
  const auto result = run_migrate(spec);
  CHECK(result.exit_code == 1);
  CHECK(result.out == "Batch 1 runs in 3 parts: [20240101000001_create_alpha.cpp] without a transaction; "
                      "[20240101000002_create_beta.cpp] without a transaction; "
                      "[20240101000003_broken.cpp] without a transaction\n");
  CHECK(result.err == "❌ Error running 20240101000003_broken.cpp\n"
                      "   Error: relation \"no_such_table\" does not exist\n"
                      "Batch 1 partly applied: recorded as applied: 20240101000001_create_alpha.cpp, "
                      "20240101000002_create_beta.cpp; not applied: 20240101000003_broken.cpp\n");
  CHECK(recorded(dev) == "20240101000001_create_alpha.cpp:1 20240101000002_create_beta.cpp:1");
  CHECK(dev.has_table("alpha"));
  CHECK(dev.has_table("beta"));
  // Without a transaction the broken migration's first statement stays: knex's behaviour too.
  CHECK(dev.has_table("gamma"));
}

TEST_CASE("config: limits take effect; the environment beats `migrations`, flags beat both") {
  TestDatabase dev;
  Project project("config-limits");
  // The SQL lock timeout is the shorter, so a migration waiting for a lock meets it first.
  project.write("sonamu.config.json", R"({"migrations": {"statementTimeout": "1s", "lockTimeout": 2},
    "environments": {"development": {"connection": {"database": ")" + dev.name() + R"("},
                                      "lockTimeout": 0.3, "lockTimeoutSql": "100ms"}}})");
  const auto in_project = [&](std::vector<std::string> args,
                              std::map<std::string, std::optional<std::string>> env = {}) {
    ProcessSpec spec;
    spec.argv = {SONAMU_FIXTURE_SLOW, "migrate"};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.cwd = project.dir.string();
    spec.env = std::move(env);
    spec.env["DATABASE_URL"] = std::nullopt;
    spec.env["NODE_ENV"] = std::nullopt;
    // Without the file's limits these commands would wait far longer than this.
    return split_banner(run_process(spec, std::chrono::seconds(30)));
  };

  // migrations.statementTimeout: the sleeping migration is cancelled.
  const auto slow = in_project({"run"}, {{"SONAMU_TEST_SLEEP_UP", "5"}});
  CHECK(slow.exit_code == 1);
  CHECK(slow.err == "❌ Error running 20240201000002_sleepy.cpp\n"
                    "   Error: canceling statement due to statement timeout\n");
  CHECK_FALSE(dev.has_table("slow_a"));

  // lockTimeoutSql of the environment: a migration that waits for a table lock gives up.
  REQUIRE(in_project({"run", "--to", "20240201000002_sleepy"}).exit_code == 0);
  {
    auto blocker = dev.connect();
    pqxx::work hold(*blocker);
    hold.exec(R"(LOCK TABLE "slow_a" IN ACCESS SHARE MODE)");
    const auto blocked = in_project({"run", "--lock-attempts", "1"});
    CHECK(blocked.exit_code == 5);
    // The holder is named when the look at a quarter of the limit ends in time (required in
    // tests/e2e/progress_test.cpp; here it depends on the machine's load).
    INFO(blocked.err);
    CHECK(std::regex_match(blocked.err, std::regex(
        "❌ Error running 20240201000003_create_slow_c\\.cpp\n"
        "   Error: canceling statement due to lock timeout\n"
        "(   Waited for lock on \"slow_a\" \\(AccessExclusiveLock\\) held by pid " +
        std::to_string(blocker->backendpid()) + ", idle in transaction for [0-9]+ s\n"
        "   Query of pid [0-9]+: LOCK TABLE \"slow_a\" IN ACCESS SHARE MODE\n)?" + lock_advice)));
  }
  CHECK_FALSE(dev.has_table("slow_c"));

  // lockTimeout: the environment's 0.3 s, not the 2 s of `migrations`; the flag beats both.
  auto holder = dev.connect();
  sonamu::pg::Store store(*holder, {});
  {
    pqxx::nontransaction ntx(*holder);
    ntx.exec_params("SELECT pg_advisory_lock($1)", store.advisory_key());
  }
  const auto by_environment = in_project({"run"});
  CHECK(by_environment.exit_code == 5);
  CHECK_THAT(by_environment.err,
             Catch::StartsWith("Error: Timed out after 0.3s waiting for the migration lock on "
                               "public.knex_migrations, held by pid " + std::to_string(holder->backendpid())));
  const auto by_flag = in_project({"run", "--lock-timeout", "0.2"});
  CHECK(by_flag.exit_code == 5);
  CHECK_THAT(by_flag.err, Catch::StartsWith("Error: Timed out after 0.2s waiting for the migration lock"));
  holder.reset();
  CHECK(recorded(dev) == "20240201000001_create_slow_a.cpp:1 20240201000002_sleepy.cpp:1");
}

TEST_CASE("make never overwrites a file: the name it would write is taken") {
  Project project("scaffold-taken");
  // Every name `make` could choose in the next two minutes exists already.
  const auto now = std::chrono::system_clock::now();
  std::vector<fs::path> taken;
  for (int second = -1; second < 120; ++second) {
    const std::string stamp = utc_stamp(now + std::chrono::seconds(second));
    taken.push_back(project.dir / "migrations" / (stamp + "_add_orders.cpp"));
    project.write("migrations/" + taken.back().filename().string(), "// mine\n");
  }
  const auto refused = run_sonamu({"make", "add_orders"}, project.dir);
  CHECK(refused.exit_code == 2);
  CHECK(refused.out.empty());
  std::smatch match;
  REQUIRE(std::regex_match(refused.err, match,
                           std::regex("Error: (migrations/20[0-9]{12}_add_orders\\.cpp) already exists; "
                                      "nothing was written\n")));
  CHECK(std::find(taken.begin(), taken.end(), project.dir / match[1].str()) != taken.end());
  for (const auto& file : taken) {
    std::ifstream in(file);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(text == "// mine\n");
  }
  CHECK(static_cast<std::size_t>(std::distance(fs::directory_iterator(project.dir / "migrations"),
                                               fs::directory_iterator())) == taken.size());
}

TEST_CASE("PGPASSWORD and ~/.pgpass authenticate as with psql") {
  TestDatabase db;
  // The test server's pg_hba.conf makes this one role authenticate by password.
  const TestRole role("sonamu_pw_user", "pw-of-the-test");
  const ScratchDirectory home("sonamu-home");
  const auto status_as_role = [&](std::map<std::string, std::optional<std::string>> env) {
    ProcessSpec spec;
    spec.argv = {SONAMU_BINARY, "migrate", "status"};
    spec.cwd = empty_directory();
    spec.env = std::move(env);
    spec.env["DATABASE_URL"] = std::nullopt;
    spec.env["PGDATABASE"] = db.name();
    spec.env["PGUSER"] = role.name();
    spec.env["PGPASSFILE"] = std::nullopt;
    spec.env["HOME"] = home.string();
    if (spec.env.count("PGPASSWORD") == 0) spec.env["PGPASSWORD"] = std::nullopt;
    return run_migrate(spec);
  };
  const std::string all_pending = "No executed migrations\n\nPending migrations:\n" + lines("  ⏳ ", bundled(".cpp"));

  // No password anywhere: refused, so what follows is the password at work.
  const auto refused = status_as_role({});
  CHECK(refused.exit_code == 3);
  CHECK(refused.err == "Error: Cannot connect to PostgreSQL at " + server_description(db.name()) +
                           ": fe_sendauth: no password supplied\n");

  const auto by_variable = status_as_role({{"PGPASSWORD", "pw-of-the-test"}});
  CHECK(by_variable.err.empty());
  CHECK(by_variable.exit_code == 0);
  CHECK(by_variable.out == all_pending);

  const auto wrong = status_as_role({{"PGPASSWORD", "not-the-password"}});
  CHECK(wrong.exit_code == 3);
  CHECK(wrong.err == "Error: Cannot connect to PostgreSQL at " + server_description(db.name()) +
                         ": password authentication failed for user \"sonamu_pw_user\"\n");

  {
    std::ofstream pgpass(home.path() / ".pgpass");
    pgpass << "*:*:*:sonamu_pw_user:pw-of-the-test\n";
  }
  fs::permissions(home.path() / ".pgpass", fs::perms::owner_read | fs::perms::owner_write);
  const auto by_file = status_as_role({});
  CHECK(by_file.err.empty());
  CHECK(by_file.exit_code == 0);
  CHECK(by_file.out == all_pending);
}

namespace {

/// The document, with each duration (checked to be a whole number of milliseconds) set to 0.
json without_durations(const std::string& text) {
  json document = json::parse(text);
  for (auto& batch : document["batches"]) {
    for (auto& migration : batch["migrations"]) {
      CHECK(migration["duration_ms"].is_number_unsigned());
      migration["duration_ms"] = 0;
    }
  }
  return document;
}

/// `text` parsed, with @DATABASE@ standing for the test database.
json expected_document(std::string text, const TestDatabase& db) {
  const std::string placeholder = "@DATABASE@";
  text.replace(text.find(placeholder), placeholder.size(), server_description(db.name()));
  return json::parse(text);
}

}  // namespace

TEST_CASE("--json documents of up, rollback and rollback --all, whole") {
  TestDatabase db;
  const auto up = migrate(db, {"up", "--json"});
  CHECK(up.exit_code == 0);
  CHECK(up.err.empty());
  CHECK(without_durations(up.out) == expected_document(R"({
    "command": "up", "environment": "development", "database": "@DATABASE@",
    "ok": true, "exit_code": 0, "result": "done", "dry_run": false,
    "batches": [{"batch": 1, "direction": "up", "committed": true, "migrations": [
      {"name": "20251220143022_create__users.cpp", "status": "applied", "duration_ms": 0}]}],
    "skipped": [], "data_at_risk": [], "lock_retries": [], "error": null})", db));

  REQUIRE(migrate(db, {"run", "--to", "20251220143200_alter_users_add1"}).exit_code == 0);
  const auto rollback = migrate(db, {"rollback", "--json"});
  CHECK(rollback.exit_code == 0);
  CHECK(without_durations(rollback.out) == expected_document(R"({
    "command": "rollback", "environment": "development", "database": "@DATABASE@",
    "ok": true, "exit_code": 0, "result": "done", "dry_run": false,
    "batches": [{"batch": 2, "direction": "down", "committed": true, "migrations": [
      {"name": "20251220143200_alter_users_add1.cpp", "status": "rolled_back", "duration_ms": 0},
      {"name": "20251220143100_create__posts.cpp", "status": "rolled_back", "duration_ms": 0}]}],
    "skipped": [], "data_at_risk": [], "lock_retries": [], "error": null})", db));

  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  db.query(R"(INSERT INTO "users" ("email") VALUES ('a@example.com'))");
  const auto all = migrate(db, {"rollback", "--all", "--yes", "--json"});
  CHECK(all.exit_code == 0);
  CHECK(without_durations(all.out) == expected_document(R"({
    "command": "rollback --all", "environment": "development", "database": "@DATABASE@",
    "ok": true, "exit_code": 0, "result": "done", "dry_run": false,
    "batches": [
      {"batch": 2, "direction": "down", "committed": true, "migrations": [
        {"name": "20251220143100_create__posts.cpp", "status": "rolled_back", "duration_ms": 0}]},
      {"batch": 1, "direction": "down", "committed": true, "migrations": [
        {"name": "20251220143022_create__users.cpp", "status": "rolled_back", "duration_ms": 0}]}],
    "skipped": [], "data_at_risk": [{"object": "users", "kind": "table", "count": 1, "estimated": false}],
    "lock_retries": [],
    "error": null})", db));
  CHECK(recorded(db).empty());
  CHECK_FALSE(db.has_table("users"));

  const auto nothing = migrate(db, {"rollback", "--all", "--json"});
  CHECK(nothing.exit_code == 0);
  CHECK(json::parse(nothing.out) == expected_document(R"({
    "command": "rollback --all", "environment": "development", "database": "@DATABASE@",
    "ok": true, "exit_code": 0, "result": "nothing_to_do", "dry_run": false,
    "batches": [], "skipped": [], "data_at_risk": [], "lock_retries": [], "error": null})", db));
}

TEST_CASE("--backup gives pg_dump the password in its environment, never on its command line") {
  // The role outlives the database: its tables go with the database first.
  const TestRole role("sonamu_pw_user", "pw-of-the-backup");
  TestDatabase db;
  db.query(R"(GRANT CREATE ON SCHEMA "public" TO "sonamu_pw_user")");
  const std::string connection = "dbname=" + db.name() + " user=sonamu_pw_user password=pw-of-the-backup";
  // A pg_dump first in PATH that notes its arguments and PGPASSWORD, then runs the real one.
  const ScratchDirectory bin("sonamu-bin");
  {
    std::ofstream wrapper(bin.path() / "pg_dump");
    wrapper << "#!/bin/sh\n"
               "printf '%s\\n' \"$@\" > \"$(dirname \"$0\")/argv\"\n"
               "printf '%s' \"${PGPASSWORD-unset}\" > \"$(dirname \"$0\")/password\"\n"
               "PATH=${PATH#*:} exec pg_dump \"$@\"\n";
  }
  fs::permissions(bin.path() / "pg_dump", fs::perms::owner_all);
  const char* path = std::getenv("PATH");
  const auto as_role = [&](std::vector<std::string> args) {
    ProcessSpec spec;
    spec.argv = {SONAMU_BINARY, "migrate"};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.argv.insert(spec.argv.end(), {"-c", connection});
    spec.cwd = empty_directory();
    spec.env = {{"DATABASE_URL", std::nullopt}, {"PGPASSWORD", std::nullopt},
                {"PATH", bin.string() + ":" + (path != nullptr ? path : "/usr/bin:/bin")}};
    return run_migrate(spec);
  };
  REQUIRE(as_role({"up"}).exit_code == 0);
  const fs::path file = bin.path() / "backup.sql";
  const auto result = as_role({"rollback", "--backup", file.string()});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.banner.find("pw-of-the-backup") == std::string::npos);
  CHECK(result.err == "Backup: " + file.string() + " (" + std::to_string(fs::file_size(file)) + " bytes)\n");
  const auto read = [](const fs::path& name) {
    std::ifstream in(name);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  CHECK(read(bin.path() / "password") == "pw-of-the-backup");
  const std::string argv = read(bin.path() / "argv");
  // The table locks pg_dump takes wait no longer than the tool's own statements (5s unless set).
  CHECK(argv == "--no-password\n--dbname=connect_timeout='10' dbname='" + db.name() +
                    "' fallback_application_name='sonamu-migrate' user='sonamu_pw_user'\n--lock-wait-timeout=5s\n");
  CHECK_THAT(read(file), Catch::Contains("CREATE TABLE public.users"));
  CHECK_FALSE(db.has_table("users"));
}
