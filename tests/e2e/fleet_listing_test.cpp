// A fleet's listing query: what it may return (one name a target, each once, none empty),
// that it is one read-only statement under a statement timeout, and that a signal while it
// runs cancels it on the server and ends the command as usual.
#include "../support/wait_until.hpp"
#include "e2e.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <csignal>
#include <fstream>
#include <unistd.h>

using namespace sonamu::test;

namespace {

/// A project folder whose sonamu.config.json defines the `databases` fleet "tenants",
/// listed by `query` on the test database `listing`, its connections named `application`.
class ListedFleet {
 public:
  ListedFleet(const TestDatabase& listing, const std::string& query) {
    static std::atomic<int> counter{0};
    application_ = "listing_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    std::string escaped;
    for (const char c : query) escaped += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
    std::ofstream(directory_.path() / "sonamu.config.json")
        << "{ \"fleets\": { \"tenants\": { \"connection\": \"dbname=" << listing.name()
        << " application_name=" << application_ << "\", \"databases\": \"" << escaped << "\" } } }\n";
  }

  ProcessSpec spec(const std::vector<std::string>& args) const {
    ProcessSpec spec;
    spec.argv = {SONAMU_BINARY, "migrate"};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.argv.insert(spec.argv.end(), {"--fleet", "tenants"});
    spec.cwd = directory_.string();
    spec.env["DATABASE_URL"] = std::nullopt;
    return spec;
  }

  MigrateResult run(const std::vector<std::string>& args) const { return run_migrate(spec(args)); }

  /// Backends of this fleet's connections on the server, optionally only those whose query
  /// contains `text`.
  int backends(const TestDatabase& db, const std::string& text = "") const {
    return std::stoi(db.scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + application_ +
                               "' AND state = 'active' AND query LIKE '%" + text + "%'"));
  }
  int connections(const TestDatabase& db) const {
    return std::stoi(
        db.scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + application_ + "'"));
  }

 private:
  ScratchDirectory directory_{"sonamu-listing"};
  std::string application_;
};

std::string six_records(const TestDatabase& db) {
  return db.has_table("knex_migrations") ? db.scalar("SELECT count(*) || ':' || max(batch) FROM knex_migrations")
                                         : "<no table>";
}

/// A listing that names `names`, in this order.
std::string listing_of(const std::vector<std::string>& names) {
  std::string values;
  for (const auto& name : names) values += (values.empty() ? "'" : ", '") + name + "'";
  return "SELECT unnest(ARRAY[" + values + "]::text[])";
}

}  // namespace

TEST_CASE("a listing query that returns an empty name is refused, naming its row; nothing runs") {
  TestDatabase listing, target;
  ListedFleet fleet(listing, listing_of({target.name(), ""}));
  const auto result = fleet.run({"run"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "Error: The target query of fleet tenants returned an empty name in row 2\n");
  CHECK(result.out.empty());
  CHECK(six_records(target) == "<no table>");
  CHECK(six_records(listing) == "<no table>");
}

TEST_CASE("a name the listing query returns twice is one target, run once, with one warning") {
  TestDatabase listing, first, second;
  ListedFleet fleet(listing, listing_of({first.name(), second.name(), first.name(), first.name(), second.name()}));
  const auto result = fleet.run({"run", "--parallel", "1"});
  CHECK(result.exit_code == 0);
  CHECK(result.err == "[warning] The target query of fleet tenants listed " + first.name() + ", " + second.name() +
                          " more than once: each runs once\n"
                          "Environment: development, fleet: tenants (2 targets, 1 at once)\n");
  CHECK(result.out == "2 migrated\n");
  CHECK(six_records(first) == "6:1");
  CHECK(six_records(second) == "6:1");
  const auto status = fleet.run({"status"});
  CHECK(status.exit_code == 0);
  CHECK(status.err == "[warning] The target query of fleet tenants listed " + first.name() + ", " + second.name() +
                          " more than once: each runs once\n");
}

TEST_CASE("a listing query of several statements is refused before it runs: no COMMIT escapes it") {
  TestDatabase listing, target;
  ListedFleet fleet(listing, "SELECT '" + target.name() +
                                 "'; COMMIT; CREATE TABLE public.escaped (id integer); SELECT '" + target.name() + "'");
  const auto result = fleet.run({"run"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "Error: The target query of fleet tenants is more than one statement: a listing is a single "
                      "query\n");
  CHECK_FALSE(listing.has_table("escaped"));
  CHECK(six_records(target) == "<no table>");
}

TEST_CASE("the listing query runs under the statement timeout: the configured one, or one minute") {
  TestDatabase listing, target;
  // The query names the target only when it sees the expected statement_timeout.
  const auto listing_under = [&](const std::string& timeout) {
    return "SELECT CASE WHEN current_setting('statement_timeout') = '" + timeout + "' THEN '" + target.name() +
           "' ELSE 'statement_timeout was ' || current_setting('statement_timeout') END";
  };
  ListedFleet by_default(listing, listing_under("1min"));
  const auto status = by_default.run({"status"});
  CHECK(status.exit_code == 0);
  CHECK(status.err.empty());
  ListedFleet configured(listing, listing_under("7s"));
  const auto run = configured.run({"run", "--statement-timeout", "7s"});
  CHECK(run.exit_code == 0);
  CHECK(run.out == "1 migrated\n");
  CHECK(six_records(target) == "6:1");
}

TEST_CASE("a signal while the listing query runs cancels it on the server: 130 / 143, nothing runs") {
  struct Case {
    const char* label;
    int signal_number;
    bool sigint_ignored;  ///< started as a background job of a shell is: SIGINT set to ignored
  };
  for (const Case& item : {Case{"SIGTERM", SIGTERM, false}, Case{"SIGINT", SIGINT, false},
                           Case{"SIGINT, inherited as ignored", SIGINT, true}}) {
    SECTION(item.label) {
      TestDatabase listing, target;
      ListedFleet fleet(listing, "SELECT '" + target.name() + "' FROM pg_sleep(600)");
      ProcessSpec spec = fleet.spec({"run"});
      if (item.sigint_ignored) {
        std::string command = "trap '' INT; exec";
        for (const auto& arg : spec.argv) command += " '" + arg + "'";
        spec.argv = {"/bin/sh", "-c", command};
      }
      Process tool(spec);
      wait_until("the listing query running on the server", [&] { return fleet.backends(listing, "pg_sleep") == 1; });
      tool.signal(item.signal_number);
      const auto result = tool.wait(std::chrono::seconds(60));
      CHECK(result.exit_code == 128 + item.signal_number);
      CHECK(result.err == std::string("Interrupted by ") + (item.signal_number == SIGINT ? "SIGINT" : "SIGTERM") +
                              ": the transaction in progress was rolled back and the lock released\n");
      wait_until("the listing query's backend to end", [&] { return fleet.connections(listing) == 0; });
      CHECK(six_records(target) == "<no table>");
    }
  }
}
