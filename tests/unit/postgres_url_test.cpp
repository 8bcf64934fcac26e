// postgres:// URLs read as knex reads them: every URL of tests/knex/connection_strings.js is
// compared with what pg-connection-string (knex's parser for them) made of it.
#include "conninfo/connection_target.hpp"
#include "conninfo/postgres_url.hpp"
#include "core/error.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>

#ifndef SONAMU_KNEX_CONNECTION_STRINGS
#error "SONAMU_KNEX_CONNECTION_STRINGS must name the JSON file tests/knex/connection_strings.js writes"
#endif

using namespace sonamu;
using namespace sonamu::conninfo;

namespace {

const nlohmann::json& knex_readings() {
  static const nlohmann::json loaded = [] {
    std::ifstream in(SONAMU_KNEX_CONNECTION_STRINGS);
    if (!in) {
      throw std::runtime_error(std::string("cannot read ") + SONAMU_KNEX_CONNECTION_STRINGS +
                               ": it is written by the CTest fixture knex_connection_strings "
                               "(node tests/knex/connection_strings.js; needs scripts/install-knex.sh)");
    }
    return nlohmann::json::parse(in);
  }();
  return loaded;
}

// URLs knex reads but this tool refuses, and why: in each, a password holding `/` or `#`
// cut the URL short, so knex takes a piece of the password for the host (and looks it up).
const std::map<std::string, std::string> refused_deviations = {
    {"postgres://user:12/Wz3@127.0.0.1/db", "`@` after the host: the password held `/`"},
    {"postgres://user:Kq7@Wz3/Jx5@127.0.0.1/db", "`@` after the host: the password held `/`"},
    {"postgres://user:12#Wz3@127.0.0.1/db", "`@` after the host: the password held `#`"},
    {"postgres://", "names no server: it would mean libpq's defaults"},
};

// The pieces of the test passwords: never in an error message.
const std::vector<std::string> secret_pieces = {"Kq7", "Wz3", "Jx5"};

std::string value_of(const std::map<std::string, std::string>& options, const std::string& key) {
  const auto it = options.find(key);
  return it == options.end() ? std::string() : it->second;
}

}  // namespace

TEST_CASE("every URL is read as pg-connection-string reads it, or refused where knex would be led astray") {
  REQUIRE(knex_readings().size() >= 20);
  for (const auto& [url, knex] : knex_readings().items()) {
    INFO("URL: " << url << "\nknex: " << knex.dump());
    const bool refused_by_knex = knex.contains("error");
    const bool deviation = refused_deviations.count(url) != 0;
    if (refused_by_knex || deviation) {
      try {
        parse_postgres_url(url, "--connection");
        FAIL("expected the URL to be refused");
      } catch (const Error& e) {
        CHECK(e.code() == ExitCode::usage);
        for (const auto& piece : secret_pieces) CHECK(std::string(e.what()).find(piece) == std::string::npos);
      }
      continue;
    }
    const auto ours = parse_postgres_url(url, "--connection");
    std::string host = knex["host"];
    if (host.size() > 1 && host.front() == '[') host = host.substr(1, host.size() - 2);  // libpq's IPv6 form
    CHECK(value_of(ours, "host") == host);
    CHECK(value_of(ours, "port") == knex["port"].get<std::string>());
    CHECK(value_of(ours, "user") == knex["user"].get<std::string>());
    CHECK(value_of(ours, "password") == knex["password"].get<std::string>());
    CHECK(value_of(ours, "dbname") == knex["database"].get<std::string>());
    for (const auto& [key, value] : knex["params"].items()) CHECK(value_of(ours, key) == value.get<std::string>());
  }
}

TEST_CASE("a password holding @, /, %, : or # is never part of the description or an error") {
  const auto env = [](const char*) -> const char* { return nullptr; };
  ConnectionRequest request;
  request.working_directory = "/nonexistent";
  request.connection = "postgres://user:Kq7@Wz3@127.0.0.1/db";
  CHECK(resolve_connection(request, env).description == "127.0.0.1:5432/db");
  request.connection = "postgres://user:Kq7:Wz3%Jx5@127.0.0.1:6543/db";
  CHECK(resolve_connection(request, env).description == "127.0.0.1:6543/db");
  for (const std::string url : {"postgres://user:Kq7/Wz3@127.0.0.1/db", "postgres://user:Kq7#Wz3@127.0.0.1/db",
                                "postgres://user:Kq7?Wz3@127.0.0.1/db", "postgres://user:12/Wz3@127.0.0.1/db",
                                "postgresql://user:Kq7/Wz3:Jx5@/db?host=/tmp"}) {
    INFO(url);
    request.connection = url;
    try {
      resolve_connection(request, env);
      FAIL("expected the URL to be refused");
    } catch (const Error& e) {
      CHECK(e.code() == ExitCode::usage);
      CHECK_THAT(e.what(), Catch::StartsWith("Invalid connection string in --connection: "));
      for (const auto& piece : secret_pieces) CHECK(std::string(e.what()).find(piece) == std::string::npos);
    }
  }
}

TEST_CASE("a host that cannot name a server is refused before any lookup") {
  CHECK(is_host_list("db.example"));
  CHECK(is_host_list("/var/run/postgresql"));
  CHECK(is_host_list("::1"));
  CHECK(is_host_list("10.0.0.1,db2.example"));
  CHECK(is_host_list("my_db"));
  CHECK_FALSE(is_host_list("Kq7@/tmp"));
  CHECK_FALSE(is_host_list("a b"));
  CHECK_FALSE(is_host_list("-x"));
  CHECK_THROWS_AS(parse_postgres_url("postgres://user:pw@%40evil/db", "--connection"), Error);
  const auto env = [](const char*) -> const char* { return nullptr; };
  ConnectionRequest request;
  request.connection = "host='a@b' dbname=x";
  CHECK_THROWS_AS(resolve_connection(request, env), Error);
}

TEST_CASE("a URL that names no server, and PGPORT out of range, are usage errors") {
  const auto no_env = [](const char*) -> const char* { return nullptr; };
  ConnectionRequest request;
  for (const std::string url : {"postgres://", "postgresql://", "postgres:///", "postgres://user:pw@"}) {
    INFO(url);
    request.connection = url;
    CHECK_THROWS_AS(resolve_connection(request, no_env), Error);
  }
  request.connection = "postgresql:///mydb";
  CHECK(resolve_connection(request, no_env).description.find("/mydb") != std::string::npos);
  request.connection.reset();
  const auto bad_port = [](const char* name) -> const char* {
    return std::string(name) == "PGPORT" ? "99999" : nullptr;
  };
  try {
    resolve_connection(request, bad_port);
    FAIL("expected PGPORT=99999 to be refused");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::usage);
    CHECK(std::string(e.what()) == "Invalid connection string in PGPORT: port \"99999\" is not between 1 and 65535");
  }
}

TEST_CASE("${VAR} values are percent-encoded in a URL and quoted after keyword=") {
  CHECK(connection_value("postgres://u:", "Fz9@pa/ss%:#") == "Fz9%40pa%2Fss%25%3A%23");
  CHECK(connection_value("host=h password=", "a'b") == "'a\\'b'");
  CHECK(connection_value("", "postgres://u@h/d") == "postgres://u@h/d");
}
