// The data-at-risk measurement behind an application's lock, on real PostgreSQL: the downs it
// rehearses wait for a table another session holds. It is tried again as a batch is, naming
// the session in the way; if it never finishes, the risk is unknown, never "nothing": asked on
// a terminal, refused by requireBackup and requireYes, shown in text and JSON. Synchronised on
// the lines the binary prints, never on sleeps.
#include "../support/blocker.hpp"
#include "e2e.hpp"
#include "prompted_rollback.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>

using namespace sonamu::test;
using json = nlohmann::json;

namespace {

const std::string migration = "20240301000001_add_nickname.cpp";

/// `users` with two nicknames, which the lock fixture's down (DROP COLUMN) deletes.
void users_with_nicknames(const TestDatabase& db) {
  db.query(R"(CREATE TABLE "users" ("id" serial primary key))");
  REQUIRE(migrate(db, {"run"}, SONAMU_FIXTURE_LOCK).exit_code == 0);
  db.query(R"(INSERT INTO "users" ("nickname") VALUES ('ann'), ('bob'), (NULL))");
}

/// Nothing was rolled back: the record, the column and its values are all there.
void unchanged(const TestDatabase& db) {
  CHECK(recorded(db) == migration + ":1");
  CHECK(db.scalar("SELECT count(nickname) FROM users") == "2");
}

/// A project folder whose `production` environment has `policy` and short lock limits.
class Project {
 public:
  explicit Project(const std::string& policy, const std::string& attempts = "2", const std::string& delay = "0")
      : scratch_("sonamu-unmeasured") {
    std::ofstream(scratch_.path() / "sonamu.config.json")
        << R"({"environments": {"production": {)" << policy << R"(, "lockTimeoutSql": "3s", "lockAttempts": )"
        << attempts << R"(, "lockRetryDelay": )" << delay << "}}}";
  }
  ProcessSpec rollback(const TestDatabase& db, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"rollback", "--env", "production"};
    args.insert(args.end(), extra.begin(), extra.end());
    ProcessSpec spec = migrate_spec(db, args, SONAMU_FIXTURE_LOCK);
    spec.cwd = scratch_.string();
    return spec;
  }

 private:
  ScratchDirectory scratch_;
};

/// The lines that name the session in the way, as a regular expression.
std::string blocker_lines(int pid) {
  const std::string id = std::to_string(pid);
  return "   Waited for lock on \"users\" \\(AccessExclusiveLock\\) held by pid " + id +
         ", application \"api\", idle in transaction for [0-9]+ s\n"
         "   Query of pid " + id + ": LOCK TABLE users IN ACCESS SHARE MODE\n";
}

/// Without its mark, which a terminal shows in colour.
const std::string unknown_line = "Data at risk unknown: measuring what the down of " + migration +
                                 " deletes stopped after 2 attempts: canceling statement due to lock timeout; "
                                 "this rollback may delete data";

}  // namespace

TEST_CASE("a measurement the lock outlasts is unknown risk: requireBackup refuses it, exit 2, nothing changed") {
  TestDatabase db;
  users_with_nicknames(db);
  Blocker blocker(db, "LOCK TABLE users IN ACCESS SHARE MODE");
  const Project project(R"("requireBackup": true)");
  const auto result = run_migrate(project.rollback(db));
  INFO(result.err);
  CHECK(result.exit_code == 2);
  CHECK(result.out.empty());
  const std::regex expected(
      "↻ Measuring the data at risk of " + migration +
      ": attempt 1 of 2 failed: canceling statement due to lock timeout\n" + blocker_lines(blocker.pid()) +
      "   Nothing changed; measuring again in 0\\.0 s\n⚠ " + unknown_line + "\n" + blocker_lines(blocker.pid()) +
      "Error: This rollback may delete data \\(the data at risk could not be measured, see above\\) and the "
      "production environment requires a backup first; pass --backup FILE \\(or set backupBeforeRollback\\): "
      "nothing was changed\n");
  CHECK(std::regex_match(result.err, expected));
  blocker.release();
  unchanged(db);
}

TEST_CASE("on a terminal the question says the data at risk could not be measured; no leaves everything") {
  TestDatabase db;
  users_with_nicknames(db);
  Blocker blocker(db, "LOCK TABLE users IN ACCESS SHARE MODE");
  PromptedRollback prompt(db, "--lock-timeout-sql 3s --lock-attempts 2 --lock-retry-delay 0", SONAMU_FIXTURE_LOCK,
                          "The data at risk could not be measured: roll back anyway? [y/N]");
  prompt.type("n\n");
  prompt.close_keyboard();
  const auto result = prompt.wait();
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.out, Catch::Contains(unknown_line));
  CHECK_THAT(result.out, Catch::Contains("held by pid " + std::to_string(blocker.pid())));
  CHECK_THAT(result.out, Catch::Contains("Error: Rollback cancelled: nothing was changed"));
  blocker.release();
  unchanged(db);
}

TEST_CASE("--json shows the unknown risk with the session in the way; off a terminal the rollback goes on") {
  TestDatabase db;
  users_with_nicknames(db);
  Blocker blocker(db, "LOCK TABLE users IN ACCESS SHARE MODE");
  // No policy: as with a known loss, the rollback proceeds unattended; the lock stops it too.
  const auto result = migrate(db, {"rollback", "--json", "--lock-timeout-sql", "3s", "--lock-attempts", "2",
                                   "--lock-retry-delay", "0"},
                              SONAMU_FIXTURE_LOCK);
  INFO(result.out);
  CHECK(result.exit_code == 5);
  const auto document = json::parse(result.out);
  const auto& risks = document["data_at_risk"];
  REQUIRE(risks.size() == 1);
  CHECK(risks[0]["kind"] == "unknown");
  CHECK(risks[0]["object"] == migration);
  CHECK(risks[0]["count"].is_null());
  CHECK(risks[0]["reason"] == "canceling statement due to lock timeout");
  CHECK(risks[0]["sqlstate"] == "55P03");
  CHECK(risks[0]["attempts"] == 2);
  REQUIRE(risks[0]["blocked_by"].size() == 1);
  CHECK(risks[0]["blocked_by"][0]["pid"] == blocker.pid());
  // The measurement's attempt, then the batch's own.
  const auto& retries = document["lock_retries"];
  REQUIRE(retries.size() == 2);
  CHECK(retries[0]["measuring"] == true);
  CHECK(retries[0]["migration"] == migration);
  CHECK(retries[0]["blocked_by"][0]["pid"] == blocker.pid());
  CHECK(retries[1]["measuring"] == false);
  CHECK(document["error"]["sqlstate"] == "55P03");
  blocker.release();
  unchanged(db);
}

TEST_CASE("--json of a refusal by requireYes says the data at risk could not be measured") {
  TestDatabase db;
  users_with_nicknames(db);
  Blocker blocker(db, "LOCK TABLE users IN ACCESS SHARE MODE");
  const Project project(R"("requireYes": true)");
  const auto result = run_migrate(project.rollback(db, {"--json"}));
  INFO(result.out);
  CHECK(result.exit_code == 2);
  const auto document = json::parse(result.out);
  CHECK(document["error"]["message"] ==
        "This rollback may delete data (the data at risk could not be measured, see above) and the production "
        "environment requires --yes to confirm it (stdin is not a terminal): nothing was changed");
  blocker.release();
  unchanged(db);
}

TEST_CASE("a lock released while the measurement is tried again: the real data at risk is shown and guarded") {
  TestDatabase db;
  users_with_nicknames(db);
  Blocker blocker(db, "LOCK TABLE users IN ACCESS SHARE MODE");
  const int pid = blocker.pid();
  const Project project(R"("requireBackup": true)", "10", "0.2");
  Process rollback(project.rollback(db));
  REQUIRE(rollback.wait_for_error_output("Nothing changed; measuring again in"));
  blocker.release();
  const auto result = split_banner(rollback.wait());
  INFO(result.err);
  CHECK(result.exit_code == 2);
  const std::regex expected(
      "↻ Measuring the data at risk of " + migration +
      ": attempt 1 of 10 failed: canceling statement due to lock timeout\n" + blocker_lines(pid) +
      "   Nothing changed; measuring again in [0-9]+\\.[0-9] s\n(.|\n)*"
      "⚠ users\\.nickname: 2 non-null values will be deleted\n"
      "Error: This rollback deletes the data listed above and the production environment requires a backup "
      "first; pass --backup FILE \\(or set backupBeforeRollback\\): nothing was changed\n");
  CHECK(std::regex_match(result.err, expected));
  CHECK(result.err.find("unknown") == std::string::npos);
  unchanged(db);
}
