// Passwords made of URL-special characters never appear, whole or in part, in what the tool
// prints (text or JSON), whichever way they reach it: -c, DATABASE_URL, the configuration file
// with ${VAR}, in a URL or a key=value string.
#include "../support/wait_until.hpp"
#include "e2e.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <sys/stat.h>
#include <unistd.h>

using namespace sonamu::test;
namespace fs = std::filesystem;

namespace {

// Every character with a meaning in a URL or a conninfo string, between marked pieces.
const std::string password = "Zq@ss/w0%rd:x#y?z&k=v'q\"b\\ s[1]";
// Pieces that would show a password cut at one of its special characters.
const std::vector<std::string> pieces = {"Zq@", "Zq", "ss/w0", "w0%rd", "rd:x", "x#y", "y?z", "k=v", "s[1]"};

void check_hidden(const MigrateResult& result, const std::string& how) {
  INFO(how << ": stdout [" << result.out << "] stderr [" << result.banner << result.err << "]");
  for (const auto& piece : pieces) {
    CHECK(result.out.find(piece) == std::string::npos);
    CHECK(result.err.find(piece) == std::string::npos);
    CHECK(result.banner.find(piece) == std::string::npos);
  }
}

std::string percent_encoded(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0) {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += hex[c >> 4];
      encoded += hex[c & 15];
    }
  }
  return encoded;
}

MigrateResult run_in(const std::string& cwd, std::vector<std::string> args,
                     std::map<std::string, std::optional<std::string>> env) {
  ProcessSpec spec;
  spec.argv = {SONAMU_BINARY, "migrate"};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.cwd = cwd;
  env.emplace("DATABASE_URL", std::nullopt);
  env.emplace("PGPASSWORD", std::nullopt);
  spec.env = env;
  return run_migrate(spec);
}

}  // namespace

TEST_CASE("a password of URL-special characters is never shown, and works through ${VAR} in a URL") {
  const TestRole role("sonamu_pw_user", password);
  TestDatabase db;
  db.query(R"(GRANT CREATE ON SCHEMA "public" TO "sonamu_pw_user")");
  const char* host = std::getenv("PGHOST");
  const std::string socket = host != nullptr ? host : "/var/run/postgresql";
  const std::string raw_url = "postgresql://sonamu_pw_user:" + password + "@/" + db.name() + "?host=" + socket;
  const std::string wrong_url = "postgresql://sonamu_pw_user:" + percent_encoded(password + "-wrong") + "@/" +
                                db.name() + "?host=" + socket;

  for (const bool json : {false, true}) {
    std::vector<std::string> extra;
    if (json) extra.push_back("--json");
    const auto with = [&](std::vector<std::string> args) {
      args.insert(args.end(), extra.begin(), extra.end());
      return args;
    };
    const std::string mode = json ? " (json)" : "";
    check_hidden(run_in(empty_directory(), with({"status", "-c", raw_url}), {}), "-c unencoded URL" + mode);
    check_hidden(run_in(empty_directory(), with({"up", "-c", raw_url}), {}), "-c unencoded URL, up" + mode);
    check_hidden(run_in(empty_directory(), with({"status"}), {{"DATABASE_URL", raw_url}}),
                 "DATABASE_URL unencoded" + mode);
    const auto wrong = run_in(empty_directory(), with({"status", "-c", wrong_url}), {});
    CHECK(wrong.exit_code == 3);
    check_hidden(wrong, "-c wrong password" + mode);
    const auto keyword = run_in(empty_directory(),
                                with({"status", "-c", "dbname=" + db.name() + " user=sonamu_pw_user password=" + password}), {});
    check_hidden(keyword, "-c key=value, unquoted" + mode);
  }

  // The pattern of docs/configuration.md: the password from the environment inside a URL in the file.
  const ScratchDirectory project("sonamu-secret-config");
  std::ofstream(project.path() / "sonamu.config.json")
      << R"({"environments": {"production": {"connection": "postgresql://sonamu_pw_user:${DB_PASSWORD}@/)"
      << db.name() << "?host=" << socket << R"("}}})";
  const auto up = run_in(project.string(), {"up", "--env", "production"}, {{"DB_PASSWORD", password}});
  CHECK(up.exit_code == 0);
  check_hidden(up, "config ${VAR} URL");
  CHECK(db.has_table("users"));
  const auto status = run_in(project.string(), {"status", "--env", "production", "--json"}, {{"DB_PASSWORD", password}});
  CHECK(status.exit_code == 0);
  check_hidden(status, "config ${VAR} URL, json");
  const auto history = run_in(project.string(), {"history", "--env", "production", "--json"}, {{"DB_PASSWORD", password}});
  check_hidden(history, "history");

  std::ofstream(project.path() / "sonamu.config.json", std::ios::trunc)
      << R"({"environments": {"production": {"connection": "dbname=)" << db.name()
      << R"( user=sonamu_pw_user password=${DB_PASSWORD} host=)" << socket << R"("}}})";
  const auto keyword = run_in(project.string(), {"status", "--env", "production"}, {{"DB_PASSWORD", password}});
  CHECK(keyword.exit_code == 0);
  check_hidden(keyword, "config ${VAR} key=value");
}

namespace {

/// `value` as a quoted conninfo value.
std::string quoted(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

/// The first `name` on PATH.
std::string on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string rest = path != nullptr ? path : "/usr/bin:/bin";
  for (std::size_t start = 0; start <= rest.size();) {
    const auto end = rest.find(':', start);
    const std::string dir = rest.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!dir.empty() && ::access((dir + "/" + name).c_str(), X_OK) == 0) return dir + "/" + name;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return name;
}

/// Every process's command line, as /proc shows it to any local user, but that of `except`
/// (the tool itself, whose -c the user wrote).
std::string all_command_lines(int except) {
  std::string all;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (name == std::to_string(except)) continue;
    std::ifstream in(entry.path() / "cmdline");
    all += std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    all += '\n';
  }
  return all;
}

const std::string ssl_password = "Kp@ss/S0%sl:x#y?z&k=v'q\"b\\ t[2]";
const std::vector<std::string> ssl_pieces = {"Kp@", "ss/S0", "S0%sl", "sl:x", "t[2]"};

}  // namespace

TEST_CASE("pg_dump gets no secret on its command line; history rows and backup names hold none") {
  const TestRole role("sonamu_pw_user", password);
  TestDatabase db;
  db.query(R"(GRANT CREATE ON SCHEMA "public" TO "sonamu_pw_user")");
  const char* host = std::getenv("PGHOST");
  const std::string socket = host != nullptr ? host : "/var/run/postgresql";
  // libpq uses sslpassword only to decrypt a client key; here it must merely reach pg_dump
  // without being shown: a service file pg_dump could not read would fail the dump.
  const std::string conninfo = "dbname=" + db.name() + " host=" + quoted(socket) +
                               " user=sonamu_pw_user password=" + quoted(password) +
                               " sslpassword=" + quoted(ssl_password);
  const ScratchDirectory scratch("sonamu-secret-backup");
  // A pg_dump first on PATH that signals its start and waits for the test before it becomes
  // the real one, with the same arguments.
  const fs::path bin = scratch.path() / "bin";
  fs::create_directory(bin);
  const std::string started = (scratch.path() / "started").string();
  const std::string go = (scratch.path() / "go").string();
  REQUIRE(::mkfifo(go.c_str(), 0600) == 0);
  {
    std::ofstream wrapper(bin / "pg_dump");
    wrapper << "#!/bin/bash\n: > '" << started << "'\nread -r _ < '" << go << "'\nexec '" << on_path("pg_dump")
            << "' \"$@\"\n";
  }
  fs::permissions(bin / "pg_dump", fs::perms::owner_all);
  const std::string path_value = bin.string() + ":" + (std::getenv("PATH") != nullptr ? std::getenv("PATH") : "");

  // The four ways a connection reaches the tool; the last two through sonamu.config.json.
  const ScratchDirectory project("sonamu-secret-backup-config");
  const auto write_config = [&](const std::string& connection) {
    std::ofstream(project.path() / "sonamu.config.json", std::ios::trunc)
        << R"({"environments": {"development": {"connection": )" << nlohmann::json(connection).dump() << "}}}";
  };
  struct Way {
    std::string name;
    std::vector<std::string> args;
    std::map<std::string, std::optional<std::string>> env;
    std::string config;  ///< empty: no configuration file
  };
  const std::string with_variables = "dbname=" + db.name() + " host=" + quoted(socket) +
                                     " user=sonamu_pw_user password=${DB_PASSWORD} sslpassword=${SSL_PASSWORD}";
  const std::vector<Way> ways = {
      {"-c", {"-c", conninfo}, {}, ""},
      {"DATABASE_URL", {}, {{"DATABASE_URL", conninfo}}, ""},
      {"config file", {}, {}, conninfo},
      {"config file ${VAR}", {},
       {{"DB_PASSWORD", password}, {"SSL_PASSWORD", ssl_password}}, with_variables},
  };
  int round = 0;
  for (const auto& way : ways) {
    INFO(way.name);
    const std::string cwd = way.config.empty() ? empty_directory() : project.string();
    if (!way.config.empty()) write_config(way.config);
    auto env = way.env;
    env.emplace("DATABASE_URL", std::nullopt);
    env.emplace("PGPASSWORD", std::nullopt);
    std::vector<std::string> run_args = {"run"};
    run_args.insert(run_args.end(), way.args.begin(), way.args.end());
    const auto applied = run_in(cwd, run_args, env);
    REQUIRE(applied.exit_code == 0);
    db.query(R"(INSERT INTO "users" ("email") VALUES ('a@example.com'))");
    const std::string backup = (scratch.path() / ("before-rollback-" + std::to_string(++round) + ".sql")).string();
    ProcessSpec spec;
    spec.argv = {SONAMU_BINARY, "migrate", "rollback", "--all", "--yes", "--json", "--backup", backup};
    spec.argv.insert(spec.argv.end(), way.args.begin(), way.args.end());
    spec.cwd = cwd;
    spec.env = env;
    spec.env["PATH"] = path_value;
    fs::remove(started);
    Process rollback(spec);
    wait_until("pg_dump to start", [&] { return fs::exists(started); });
    const std::string lines = all_command_lines(rollback.pid());
    for (const auto& piece : pieces) CHECK(lines.find(piece) == std::string::npos);
    for (const auto& piece : ssl_pieces) CHECK(lines.find(piece) == std::string::npos);
    CHECK_THAT(lines, Catch::Contains("--no-password"));  // the waiting pg_dump was seen
    {
      std::ofstream(go) << "go\n";
    }
    const auto result = split_banner(rollback.wait());
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    check_hidden(result, "rollback --backup --json, " + way.name);
    for (const auto& piece : ssl_pieces) {
      CHECK(result.out.find(piece) == std::string::npos);
      CHECK(result.err.find(piece) == std::string::npos);
    }
    CHECK(fs::file_size(backup) > 0);
  }
  std::string names;
  for (const auto& entry : fs::directory_iterator(scratch.path())) names += entry.path().filename().string() + "\n";
  CHECK_THAT(names, Catch::Contains("before-rollback-4.sql"));
  const std::string rows =
      db.scalar("SELECT coalesce(string_agg(row_to_json(h)::text, ' '), '') FROM knex_migrations_history h");
  CHECK_THAT(rows, Catch::Contains("create__users"));
  for (const auto& piece : pieces) {
    CHECK(names.find(piece) == std::string::npos);
    CHECK(rows.find(piece) == std::string::npos);
  }
  for (const auto& piece : ssl_pieces) CHECK(rows.find(piece) == std::string::npos);
}
