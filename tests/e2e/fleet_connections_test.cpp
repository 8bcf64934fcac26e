// A fleet's connections: a `${VAR}` in a `targets` list is encoded as in an environment's
// connection and never shown; a server out of connection slots gets fewer targets at once
// instead of failing them.
#include "e2e.hpp"
#include "traced_connects.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <regex>
#include <stdexcept>

#include <unistd.h>

using namespace sonamu::test;

namespace {

/// A project folder whose sonamu.config.json defines `fleets` (a JSON object text).
class Project {
 public:
  explicit Project(const std::string& fleets) {
    std::ofstream(directory_.path() / "sonamu.config.json") << "{ \"fleets\": " << fleets << " }\n";
  }
  std::string path() const { return directory_.string(); }
  std::string file(const std::string& name) const { return (directory_.path() / name).string(); }

 private:
  ScratchDirectory directory_{"sonamu-fleet-connections"};
};

ProcessSpec fleet_spec(const Project& project, std::vector<std::string> args,
                       std::map<std::string, std::optional<std::string>> env = {}) {
  ProcessSpec spec;
  spec.argv = {SONAMU_BINARY, "migrate"};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.cwd = project.path();
  spec.env = std::move(env);
  spec.env["DATABASE_URL"] = std::nullopt;
  spec.env["PGPASSWORD"] = std::nullopt;
  return spec;
}

// The password of the targets' role: every character with a meaning in a URL, between pieces
// that must never be shown.
const std::string password = "Kq7@Wz3/Jx5%:#Vb8";
const std::vector<std::string> pieces = {"Kq7", "Wz3", "Jx5", "Vb8"};

void check_hidden(const MigrateResult& result, const std::string& how) {
  INFO(how << ": stdout [" << result.out << "] stderr [" << result.banner << result.err << "]");
  for (const auto& piece : pieces) {
    CHECK(result.out.find(piece) == std::string::npos);
    CHECK((result.banner + result.err).find(piece) == std::string::npos);
  }
}

std::string bundled_records() {
  std::string text;
  for (const auto& name : bundled(".cpp")) text += (text.empty() ? "" : " ") + name + ":1";
  return text;
}

}  // namespace

TEST_CASE("a ${VAR} password with @, /, %, : and # in a targets list: every target connects, none shows it") {
  const TestRole role("sonamu_pw_user", password);
  TestDatabase first;
  TestDatabase second;
  TestDatabase third;
  for (const TestDatabase* db : {&first, &second, &third}) db->query(R"(GRANT CREATE ON SCHEMA "public" TO "sonamu_pw_user")");
  const std::string user = "postgresql://sonamu_pw_user:${DB_PASSWORD}@";
  Project project("{ \"regions\": { \"targets\": [\"" + user + percent_encoded(socket_dir()) + "/" + first.name() +
                  "\", \"" + user + "/" + second.name() + "?host=" + socket_dir() + "\", \"host=" + socket_dir() +
                  " dbname=" + third.name() + " user=sonamu_pw_user password=${DB_PASSWORD}\"] } }");
  const std::map<std::string, std::optional<std::string>> env = {{"DB_PASSWORD", password}};

  const auto run = run_migrate(fleet_spec(project, {"run", "--fleet", "regions", "--debug"}, env));
  CHECK(run.exit_code == 0);
  CHECK(run.out == "3 migrated\n");
  check_hidden(run, "run --debug");
  for (const TestDatabase* db : {&first, &second, &third}) CHECK(recorded(*db) == bundled_records());

  const auto status = run_migrate(fleet_spec(project, {"status", "--fleet", "regions"}, env));
  CHECK(status.exit_code == 0);
  check_hidden(status, "status");
  for (const TestDatabase* db : {&first, &second, &third}) {
    CHECK(status.out.find(server_description(db->name()) + " ") != std::string::npos);
  }

  const auto json = run_migrate(fleet_spec(project, {"status", "--fleet", "regions", "--json"}, env));
  CHECK(json.exit_code == 0);
  check_hidden(json, "status --json");
  const auto document = nlohmann::json::parse(json.out);
  CHECK(document["targets"][0]["target"] == server_description(first.name()));
  CHECK(document["targets"][1]["target"] == server_description(second.name()));
  CHECK(document["targets"][2]["target"] == server_description(third.name()));

  // A mistake in one target is named by the fleet and the target's place in the list.
  Project broken("{ \"regions\": { \"targets\": [\"dbname=" + first.name() + "\", \"" + user + "/" + second.name() +
                 "?host=" + socket_dir() + "&bogus=1\"] } }");
  const auto mistake = run_migrate(fleet_spec(broken, {"run", "--fleet", "regions"}, env));
  CHECK(mistake.exit_code == 2);
  CHECK(mistake.err ==
        "Error: Invalid connection string in fleets.regions.targets[1]: invalid connection option \"bogus\"\n");
  check_hidden(mistake, "a broken target");
}

TEST_CASE("a ${VAR} password in a targets list is never sent to the resolver") {
  const TestRole role("sonamu_pw_user", password);
  TestDatabase db;
  Project project("{ \"regions\": { \"targets\": [\"postgresql://sonamu_pw_user:${DB_PASSWORD}@" +
                  percent_encoded(socket_dir()) + "/" + db.name() + "\"] } }");
  const std::string trace = project.file("connect.trace");
  auto spec = fleet_spec(project, {"status", "--fleet", "regions"}, {{"DB_PASSWORD", password}});
  spec.argv = traced_connects(trace, spec.argv);
  const auto status = run_migrate(spec);
  CHECK(status.exit_code == 0);
  check_hidden(status, "status under strace");
  const auto calls = connect_calls(trace);
  for (const auto& call : calls) {
    INFO(call);
    CHECK(call.find("sun_path=\"" + socket_dir() + "/.s.PGSQL.5432\"") != std::string::npos);
  }
  CHECK_FALSE(calls.empty());
}

namespace {

constexpr const char* limited_role = "sonamu_fleet_limited";
constexpr int role_limit = 4;

/// Connections of the limited role open on the server now.
int role_connections(const TestDatabase& db) {
  return std::stoi(db.scalar("SELECT count(*) FROM pg_stat_activity WHERE usename = $1", limited_role));
}

}  // namespace

TEST_CASE("a server out of connection slots: the fleet lowers its parallelism there and every target succeeds") {
  // A role allowed 4 connections, 2 of them held by other sessions: the server turns the
  // fleet's third connection away with SQLSTATE 53300, as a full server does.
  const TestRole role(limited_role, "unused");
  TestDatabase db;
  db.query(std::string("ALTER ROLE ") + limited_role + " CONNECTION LIMIT " + std::to_string(role_limit));
  for (int i = 1; i <= 20; ++i) {
    db.query(std::string("CREATE SCHEMA tenant_") + (i < 10 ? "0" : "") + std::to_string(i) + " AUTHORIZATION " +
             limited_role);
  }
  const std::string as_role = "dbname=" + db.name() + " user=" + limited_role;
  pqxx::connection other_1(as_role + bounded_session);
  pqxx::connection other_2(as_role + bounded_session);
  Project project("{ \"tenants\": { \"connection\": \"" + as_role +
                  "\", \"schemas\": \"SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\\\_%' ORDER BY 1\" } }");

  Process fleet(fleet_spec(project, {"run", "--fleet", "tenants", "--parallel", "8", "--json"}));
  int most = 0;
  while (fleet.running()) most = std::max(most, role_connections(db));
  const auto run = split_banner(fleet.wait());
  CHECK(run.exit_code == 0);
  CHECK(most <= role_limit);
  const auto document = nlohmann::json::parse(run.out);
  CHECK(document["summary"] == nlohmann::json({{"done", 20}, {"up_to_date", 0}, {"failed", 0}, {"not_started", 0}}));
  REQUIRE(document["throttled"].size() == 1);
  const auto& throttled = document["throttled"][0];
  CHECK(throttled["server"] == socket_dir() + ":5432");
  CHECK(throttled["parallel"].get<int>() >= 1);
  CHECK(throttled["parallel"].get<int>() <= role_limit - 2);
  CHECK(throttled["reason"] == std::string("too many connections for role \"") + limited_role + "\"");
  for (int i = 1; i <= 20; ++i) {
    const std::string schema = std::string("tenant_") + (i < 10 ? "0" : "") + std::to_string(i);
    INFO(schema);
    CHECK(db.scalar("SELECT count(*) FROM " + schema + ".knex_migrations") == "6");
  }

  // On a terminal's stderr it is said once, before the counts.
  const auto status = run_migrate(fleet_spec(project, {"status", "--fleet", "tenants", "--parallel", "8"}));
  CHECK(status.exit_code == 0);
  CHECK(status.out.find("20 already up to date\n") != std::string::npos);
  static const std::regex said_once("Server " + socket_dir() + ":5432 turned connections away \\(too many connections "
                                    "for role \"sonamu_fleet_limited\"\\): at most [12] targets? at once there\n");
  CHECK(std::regex_match(status.err, said_once));
}
