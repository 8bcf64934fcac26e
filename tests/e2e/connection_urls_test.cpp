// Connection URLs read as knex reads them: the user-info ends at the last `@`, so a password
// holding `@`, `:` or `%` works as it does for the application; one holding `/` or `#` unencoded
// is refused; nothing of the password is ever shown, and no name but the configured host is
// ever looked up.
#include "e2e.hpp"
#include "traced_connects.hpp"

#include <catch2/catch.hpp>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

using namespace sonamu::test;

namespace {

// The pieces the test passwords are made of: none may ever be shown.
const std::vector<std::string> pieces = {"Kq7", "Wz3", "Jx5"};

void set_password(const std::string& password) {
  TestDatabase any;
  any.query("ALTER ROLE sonamu_pw_user PASSWORD " + any.connect()->quote(password));
}

MigrateResult run_with(std::vector<std::string> args, std::map<std::string, std::optional<std::string>> env = {}) {
  ProcessSpec spec;
  spec.argv = {SONAMU_BINARY, "migrate"};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.cwd = empty_directory();
  env.emplace("DATABASE_URL", std::nullopt);
  env.emplace("PGPASSWORD", std::nullopt);
  spec.env = env;
  return run_migrate(spec);
}

void check_hidden(const MigrateResult& result) {
  INFO("stdout [" << result.out << "] stderr [" << result.banner << result.err << "]");
  for (const auto& piece : pieces) {
    CHECK(result.out.find(piece) == std::string::npos);
    CHECK((result.banner + result.err).find(piece) == std::string::npos);
  }
}

const std::string refused_at =
    "Error: Invalid connection string in --connection: an `@` after the host (a password holding `/`, `?` or "
    "`#` must be percent-encoded, and so must an `@` in the database name or a parameter, as %40)\n";

}  // namespace

TEST_CASE("a password with a raw @, : or % in a URL is split at the last @, as knex splits it") {
  const TestRole role("sonamu_pw_user", "unused");
  TestDatabase db;
  db.query(R"(GRANT CREATE ON SCHEMA "public" TO "sonamu_pw_user")");
  const std::string password = "Kq7@Wz3:Jx5%zz@x";
  set_password(password);
  const std::string url = "postgresql://sonamu_pw_user:" + password + "@/" + db.name() + "?host=" + socket_dir();
  for (const bool json : {false, true}) {
    std::vector<std::string> args = {"status", "-c", url};
    if (json) args.push_back("--json");
    const auto status = run_with(args);
    CHECK(status.exit_code == 0);
    check_hidden(status);
  }
  const auto up = run_with({"up", "-c", url, "--debug"});
  CHECK(up.exit_code == 0);
  CHECK(up.banner == "Environment: development, database: " + socket_dir() + ":5432/" + db.name());
  check_hidden(up);
  CHECK(db.has_table("users"));
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "1");
}

TEST_CASE("a password with a raw / or # in a URL is refused, exit 2, without a piece of it shown") {
  const TestRole role("sonamu_pw_user", "unused");
  TestDatabase db;
  for (const std::string password : {"Kq7/Wz3", "Kq7#Wz3", "12/Wz3", "Kq7@Wz3/Jx5", "Kq7?Wz3"}) {
    INFO(password);
    set_password(password);
    for (const std::string& where : {std::string("@/") + db.name() + "?host=" + socket_dir(),
                                     "@127.0.0.1:5432/" + db.name()}) {
      const auto up = run_with({"up", "-c", "postgresql://sonamu_pw_user:" + password + where});
      CHECK(up.exit_code == 2);
      CHECK(up.err == refused_at);
      check_hidden(up);
    }
  }
  CHECK_FALSE(db.has_table("knex_migrations"));

  // Percent-encoded, every one of them works.
  db.query(R"(GRANT CREATE ON SCHEMA "public" TO "sonamu_pw_user")");
  const std::string password = "Kq7@Wz3/Jx5%:#?x";
  set_password(password);
  const auto up = run_with({"up", "-c", "postgresql://sonamu_pw_user:" + percent_encoded(password) + "@" +
                                            percent_encoded(socket_dir()) + "/" + db.name()});
  CHECK(up.exit_code == 0);
  CHECK(up.banner == "Environment: development, database: " + socket_dir() + ":5432/" + db.name());
  check_hidden(up);
  CHECK(db.has_table("users"));
}

TEST_CASE("no name but the configured host is looked up: the only connect() is to the server's socket") {
  const TestRole role("sonamu_pw_user", "unused");
  TestDatabase db;
  const std::string password = "Kq7@Wz3";
  set_password(password);
  const ScratchDirectory scratch("sonamu-url-trace");
  const std::string trace = (scratch.path() / "connect.trace").string();
  ProcessSpec spec;
  // libpq took the host to start after the first `@`: "Wz3@/tmp/...", not a socket folder, so
  // it asked the resolver (nscd's socket, then a DNS server) for that name.
  spec.argv = traced_connects(trace, {SONAMU_BINARY, "migrate", "status", "-c",
                                     "postgresql://sonamu_pw_user:" + password + "@" +
                                         percent_encoded(socket_dir()) + "/" + db.name()});
  spec.cwd = empty_directory();
  spec.env = {{"DATABASE_URL", std::nullopt}, {"PGPASSWORD", std::nullopt}};
  const auto status = run_migrate(spec);
  CHECK(status.exit_code == 0);
  check_hidden(status);
  const std::string server_socket = "sun_path=\"" + socket_dir() + "/.s.PGSQL.5432\"";
  const auto calls = connect_calls(trace);
  for (const auto& call : calls) {
    INFO(call);
    CHECK(call.find(server_socket) != std::string::npos);
  }
  CHECK_FALSE(calls.empty());
}

TEST_CASE("a URL naming no server, and PGPORT out of range, are exit 2 before connecting") {
  TestDatabase db;
  for (const std::string url : {"postgres://", "postgresql://", "postgres:///"}) {
    const auto run = run_with({"up", "-c", url});
    CHECK(run.exit_code == 2);
    CHECK(run.err == "Error: Invalid connection string in --connection: the URL names no host and no database\n");
  }
  const auto port = run_with({"up"}, {{"PGPORT", "99999"}, {"PGDATABASE", db.name()}});
  CHECK(port.exit_code == 2);
  CHECK(port.err == "Error: Invalid connection string in PGPORT: port \"99999\" is not between 1 and 65535\n");
  CHECK_FALSE(db.has_table("knex_migrations"));
}
