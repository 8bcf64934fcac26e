// Configuration and environments, scaffolding, JSON, colours, quiet/debug, version, completion.
#include "e2e.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>

using namespace sonamu::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// A project folder of its own, removed afterwards.
struct Project {
  fs::path dir;
  explicit Project(const std::string& name) : dir(fs::path(empty_directory()) / name) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Project() { fs::remove_all(dir); }
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

bool applied_in(const TestDatabase& db, const std::string& table) {
  return db.has_table(table) && db.scalar("SELECT count(*) FROM \"" + table + "\"") != "0";
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

  // --env beats NODE_ENV.
  const auto by_flag = run_sonamu({"status", "--env", "production"}, project.dir,
                              {{"NODE_ENV", "development"}, {"PROD_DB", prod.name()}});
  CHECK(by_flag.out.find("Executed migrations (Batch 1)") != std::string::npos);

  // DATABASE_URL beats the config; --connection beats DATABASE_URL; --table beats tableName.
  const auto by_url = run_sonamu({"up"}, project.dir, {{"DATABASE_URL", "postgresql:///" + other.name()}});
  CHECK(by_url.exit_code == 0);
  CHECK(applied_in(other, "app_migrations"));
  TestDatabase flagged;
  const auto by_connection = run_sonamu({"up", "-c", "dbname=" + flagged.name(), "--table", "flag_migrations"},
                                        project.dir, {{"DATABASE_URL", "postgresql:///" + prod.name()}});
  CHECK(by_connection.exit_code == 0);
  CHECK(applied_in(flagged, "flag_migrations"));
  CHECK(prod.scalar("SELECT count(*) FROM app_migrations") == "1");
}

TEST_CASE("config: --config, a relative migrations directory, limits") {
  TestDatabase dev;
  Project project("config-explicit");
  project.write("conf/custom.json", config_for(dev, R"(, "directory": "../db/migrations", "statementTimeout": "soon")"));
  project.write("db/migrations/20990101000000_not_compiled.cpp", "// new\n");
  const auto result = run_sonamu({"run", "--config", "conf/custom.json"}, project.dir);
  CHECK(result.exit_code == 2);
  CHECK(result.err == "Error: Invalid statement timeout 'soon': expected a duration such as 500ms, 30s, 5min or 1h\n");

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
              "connectTimeout, directory, disableTransactions, extension, lockTimeout, "
              "lockTimeoutSql, schemaName, statementTimeout, tableName)"},
      {R"({"migrations": {"lockTimeout": "60"}})", path + ": migrations.lockTimeout: expected a number of seconds >= 0"},
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
  const auto made = run_sonamu({"make", "add_orders"}, project.dir);
  CHECK(made.exit_code == 0);
  std::smatch match;
  REQUIRE(std::regex_match(made.out, match, std::regex("Created Migration: (migrations/(20[0-9]{12})_add_orders\\.cpp)\n")));
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
  CHECK(applied["batches"][0]["migrations"][0]["applied_at"].get<std::string>().size() == 24);
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
