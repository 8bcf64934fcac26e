// Passwords made of URL-special characters never appear, whole or in part, in what the tool
// prints (text or JSON), whichever way they reach it: -c, DATABASE_URL, the configuration file
// with ${VAR}, in a URL or a key=value string.
#include "e2e.hpp"

#include <catch2/catch.hpp>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>

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

  // The README's pattern: the password from the environment inside a URL in the file.
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
