// Connection resolution: precedence, timeouts, and passwords never shown.
#include "core/error.hpp"
#include "pg/connect.hpp"
#include "conninfo/connection_target.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace sonamu;
using namespace sonamu::conninfo;

namespace {

EnvLookup env_of(std::map<std::string, std::string> values) {
  auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(values));
  return [shared](const char* name) -> const char* {
    const auto it = shared->find(name);
    return it == shared->end() ? nullptr : it->second.c_str();
  };
}

ConnectionRequest request_with(std::optional<std::string> connection) {
  ConnectionRequest request;
  request.connection = std::move(connection);
  request.working_directory = "/nonexistent/project";
  return request;
}

}  // namespace

TEST_CASE("--connection wins over DATABASE_URL and PG* variables") {
  const auto target = resolve_connection(request_with("postgresql://u:secret@db.example:6543/app"),
                                         env_of({{"DATABASE_URL", "postgresql://other/x"},
                                                 {"PGHOST", "pghost"}}));
  CHECK(target.source == "--connection");
  CHECK(target.description == "db.example:6543/app");
  CHECK_THAT(target.conninfo, Catch::Contains("connect_timeout='10'"));
  CHECK(target.description.find("secret") == std::string::npos);
}

TEST_CASE("DATABASE_URL is next, then PG* variables, then the development database") {
  CHECK(resolve_connection(request_with(std::nullopt),
                           env_of({{"DATABASE_URL", "postgresql://h/d"}, {"PGHOST", "x"}}))
            .source == "DATABASE_URL");
  const auto pg = resolve_connection(request_with(std::nullopt),
                                     env_of({{"PGHOST", "pg.example"}, {"PGDATABASE", "shop"}}));
  CHECK(pg.source == "PG* variables");
  const auto dev = resolve_connection(request_with(std::nullopt), env_of({}));
  CHECK(dev.source == "development");
  CHECK(dev.description == "/nonexistent/project/.sonamu/run:5432/sonamu_dev");
}

TEST_CASE("the connect timeout is passed to libpq") {
  auto request = request_with("host=h dbname=d");
  request.connect_timeout_seconds = 3;
  CHECK_THAT(resolve_connection(request, env_of({})).conninfo, Catch::Contains("connect_timeout='3'"));
}

TEST_CASE("a malformed URL is a usage error that does not show the password") {
  try {
    resolve_connection(request_with("postgresql://u:hunter2@host:notaport/db?bogus=1"), env_of({}));
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::usage);
    CHECK(std::string(e.what()).find("hunter2") == std::string::npos);
  }
}

TEST_CASE("a non-numeric port is a usage error, found before connecting") {
  CHECK_THROWS_AS(resolve_connection(request_with("postgresql://h:x:y/db"), env_of({})), Error);
  CHECK_THROWS_AS(resolve_connection(request_with("host=h port=abc"), env_of({})), Error);
  CHECK_NOTHROW(resolve_connection(request_with("host=a,b port=5432,5433"), env_of({})));
}

TEST_CASE("passwords are redacted in URLs and key=value strings") {
  CHECK(redact_passwords("postgresql://app:s3cr3t@db:5432/x") == "postgresql://app:***@db:5432/x");
  CHECK(redact_passwords("host=db password=s3cr3t dbname=x") == "host=db password=*** dbname=x");
  CHECK(redact_passwords("host=db password='a b\\'c' dbname=x") == "host=db password=*** dbname=x");
  CHECK(redact_passwords("postgres://db/x?password=s3cr3t&sslmode=require") ==
        "postgres://db/x?password=***&sslmode=require");
  CHECK(redact_passwords("no secrets here") == "no secrets here");
}

TEST_CASE("libpq's messages become one line without the preamble") {
  CHECK(pg::one_line_reason("connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n"
                        "\tIs the server running on that host and accepting TCP/IP connections?\n") ==
        "Connection refused");
  CHECK(pg::one_line_reason("connection to server on socket \"/tmp/.s.PGSQL.5432\" failed: FATAL:  "
                        "password authentication failed for user \"app\"\n") ==
        "password authentication failed for user \"app\"");
  CHECK(pg::one_line_reason("ERROR:  column \"phone\" of relation \"users\" does not exist\n") ==
        "column \"phone\" of relation \"users\" does not exist");
}
