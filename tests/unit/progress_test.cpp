// The text of progress: the status line, a lock wait named, and how the terminal and JSON
// reporters add it to the verbose log and to the error of a wait ended by a limit.
#include "engine/result_recorder.hpp"
#include "engine/silent_reporter.hpp"
#include "output/migration_json.hpp"
#include "output/progress_text.hpp"
#include "output/terminal_reporter.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace sonamu;
using namespace sonamu::cli;
using std::chrono::milliseconds;

namespace {

LockWait users_wait() {
  LockWait wait;
  wait.relation = "users";
  wait.locktype = "relation";
  wait.mode = "AccessExclusiveLock";
  wait.holders.push_back({4711, "api", "idle in transaction", "2025-12-20T14:30:00Z", 12, "SELECT *\n  FROM users"});
  return wait;
}

}  // namespace

TEST_CASE("a lock wait names the lock and every session holding it") {
  LockWait wait = users_wait();
  CHECK(lock_wait_text(wait) ==
        "lock on \"users\" (AccessExclusiveLock) held by pid 4711, application \"api\", idle in transaction for 12 s");
  CHECK(waiting_line(wait, milliseconds(5023)) ==
        "Waiting 5.0 s for lock on \"users\" (AccessExclusiveLock) held by pid 4711, application \"api\", "
        "idle in transaction for 12 s");
  wait.holders.push_back({4712, "", "active", "", 3, ""});
  CHECK(lock_wait_text(wait) ==
        "lock on \"users\" (AccessExclusiveLock) held by pid 4711, application \"api\", idle in transaction "
        "for 12 s and pid 4712, active for 3 s");
  LockWait row;
  row.locktype = "transactionid";
  row.mode = "ShareLock";
  row.holders.push_back({7, "api", "idle in transaction", "", 1, ""});
  CHECK(lock_wait_text(row) == "lock (transactionid, ShareLock) held by pid 7, application \"api\", idle in transaction for 1 s");
}

TEST_CASE("the status line: command, batch, k/N, migration, times, and what it waits for") {
  StatusState state;
  state.command = "run";
  state.batch = 3;
  state.index = 2;
  state.total = 5;
  state.migration = "20251220143200_add.cpp";
  state.migration_elapsed = milliseconds(3200);
  state.batch_elapsed = milliseconds(10400);
  const Style emoji{true, false};
  const Style plain{false, false};
  CHECK(status_line(state, 200, emoji) == "⠋ run · batch 3 · 2/5 20251220143200_add.cpp · 3.2 s (batch 10.4 s)");
  CHECK(status_line(state, 200, plain) == "- run | batch 3 | 2/5 20251220143200_add.cpp | 3.2 s (batch 10.4 s)");
  state.statement = "ALTER TABLE \"users\"\n  ADD COLUMN \"x\" text";
  CHECK(status_line(state, 200, plain) ==
        "- run | batch 3 | 2/5 20251220143200_add.cpp | 3.2 s (batch 10.4 s) | ALTER TABLE \"users\" ADD COLUMN \"x\" text");
  state.waiting = lock_wait_brief(users_wait(), plain);
  // What it waits for and who holds it come first, so a narrow terminal shows them.
  CHECK(status_line(state, 300, plain) ==
        "- waiting for \"users\" held by pid 4711 \"api\", idle in transaction 12 s | AccessExclusiveLock | run | "
        "batch 3 | 2/5 20251220143200_add.cpp | 3.2 s (batch 10.4 s)");
  // Too long: the migration's name is shortened in the middle first, then the line is cut, counting
  // characters, not bytes.
  CHECK(status_line(state, 115, plain) ==
        "- waiting for \"users\" held by pid 4711 \"api\", idle in transaction 12 s | AccessExclusiveLock | run | "
        "batch 3 | 2...");
  state.waiting = lock_wait_brief(users_wait(), emoji);
  CHECK(status_line(state, 80, emoji) ==
        "⠋ waiting for \"users\" held by pid 4711 \"api\", idle in transaction 12 s · Access…");
  state.waiting.reset();
  state.statement.reset();
  CHECK(status_line(state, 64, emoji) == "⠋ run · batch 3 · 2/5 20251220…_add.cpp · 3.2 s (batch 10.4 s)");
  CHECK(status_line(state, 20, emoji) == "⠋ run · batch 3 · 2…");
  CHECK(status_line(state, 20, plain) == "- run | batch 3 |...");
  state.batch = 0;
  state.command = "verify";
  CHECK(status_line(state, 200, plain) == "- verify | 2/5 20251220143200_add.cpp | 3.2 s (batch 10.4 s)");
}

TEST_CASE("before the first batch the status line says what the command waits for") {
  const Style emoji{true, false};
  StatusState state;
  state.command = "rollback";
  state.phase = "measuring the data at risk";
  state.phase_elapsed = milliseconds(400);
  CHECK(status_line(state, 200, emoji) == "⠋ rollback · measuring the data at risk · 0.4 s");
  state.waiting = lock_wait_brief(users_wait(), emoji);
  CHECK(status_line(state, 200, emoji) ==
        "⠋ waiting for \"users\" held by pid 4711 \"api\", idle in transaction 12 s · AccessExclusiveLock · rollback · "
        "measuring the data at risk · 0.4 s");
  state.phase = "nothing done yet";
  state.waiting = migration_lock_brief({LockHolder{42, "deploy", "active", "", 3, ""}, milliseconds(1200)});
  CHECK(status_line(state, 200, emoji) ==
        "⠋ waiting for the migration lock held by pid 42 \"deploy\", active 3 s · rollback · nothing done yet · 0.4 s");
  state.waiting = migration_lock_brief({std::nullopt, milliseconds(0)});
  CHECK_THAT(status_line(state, 200, emoji),
             Catch::StartsWith("⠋ waiting for the migration lock held by another session (not visible to this role)"));
}

TEST_CASE("a migration's name is shortened in the middle, its day and description kept") {
  CHECK(short_migration_name("20261207093000_add_bio.cpp", {true, false}) == "20261207…_add_bio.cpp");
  CHECK(short_migration_name("20261207093000_add_bio.cpp", {false, false}) == "20261207..._add_bio.cpp");
  CHECK(short_migration_name("not_a_migration.cpp", {true, false}) == "not_a_migration.cpp");
}

TEST_CASE("--verbose logs a lock wait at most every 5 s, and no statement's duration (as the guide)") {
  std::ostringstream out, err;
  TerminalReporter reporter(out, err, {true, false});
  reporter.statement("ALTER TABLE \"users\" ADD COLUMN \"x\" text", {});
  reporter.lock_waiting(users_wait(), milliseconds(1200));
  reporter.lock_waiting(users_wait(), milliseconds(3000));
  reporter.lock_waiting(users_wait(), milliseconds(6300));
  reporter.statement_finished(milliseconds(7000));
  CHECK(out.str() ==
        "SQL: ALTER TABLE \"users\" ADD COLUMN \"x\" text\n"
        "Waiting 1.2 s for lock on \"users\" (AccessExclusiveLock) held by pid 4711, application \"api\", idle in transaction for 12 s\n"
        "Waiting 6.3 s for lock on \"users\" (AccessExclusiveLock) held by pid 4711, application \"api\", idle in transaction for 12 s\n");
  CHECK(err.str().empty());

  std::ostringstream quiet_out, quiet_err;
  TerminalReporter normal(quiet_out, quiet_err, {false, false});
  normal.statement("SELECT 1", {});
  normal.lock_waiting(users_wait(), milliseconds(1200));
  normal.statement_finished(milliseconds(1300));
  CHECK(quiet_out.str().empty());
}

TEST_CASE("a wait ended by lock_timeout names its blocker; other failures do not") {
  std::ostringstream out, err;
  TerminalReporter reporter(out, err, {false, false});
  reporter.statement("ALTER TABLE \"users\" ADD COLUMN \"x\" text", {});
  reporter.lock_waiting(users_wait(), milliseconds(1200));
  reporter.migration_failed(Direction::up, "a.cpp", "canceling statement due to lock timeout", "55P03");
  CHECK(err.str() ==
        "❌ Error running a.cpp\n"
        "   Error: canceling statement due to lock timeout\n"
        "   Waited for lock on \"users\" (AccessExclusiveLock) held by pid 4711, application \"api\", idle in transaction for 12 s\n"
        "   Query of pid 4711: SELECT * FROM users\n"
        "   Its transaction was rolled back: nothing it did was kept. To go on, end the transaction of pid 4711, or give "
        "the lock more time with --lock-timeout-sql, and run the command again\n");

  std::ostringstream out2, err2;
  TerminalReporter other(out2, err2, {false, false});
  other.statement("SELECT 1", {});
  other.lock_waiting(users_wait(), milliseconds(1200));
  other.migration_failed(Direction::up, "a.cpp", "division by zero", "22012");
  CHECK(err2.str() == "❌ Error running a.cpp\n   Error: division by zero\n");

  // A wait of an earlier statement is not this statement's.
  std::ostringstream out3, err3;
  TerminalReporter later(out3, err3, {false, false});
  later.statement("SELECT 1", {});
  later.lock_waiting(users_wait(), milliseconds(1200));
  later.statement_finished(milliseconds(1500));
  later.statement("SELECT 2", {});
  later.migration_failed(Direction::up, "a.cpp", "canceling statement due to statement timeout", "57014");
  CHECK(err3.str() == "❌ Error running a.cpp\n   Error: canceling statement due to statement timeout\n");
}

TEST_CASE("--json: blocked_by lists the sessions that held the lock") {
  SilentReporter silent;
  ResultRecorder reporter(silent);
  reporter.migration_started(Direction::up, "a.cpp");
  reporter.statement("ALTER TABLE \"users\" ADD COLUMN \"x\" text", {});
  reporter.lock_waiting(users_wait(), milliseconds(1200));
  reporter.migration_failed(Direction::up, "a.cpp", "canceling statement due to lock timeout", "55P03");
  const nlohmann::json error = migration_json(reporter.result(ExitCode::locked))["error"];
  CHECK(error["blocked_by"] ==
        nlohmann::json::parse(R"([{"pid": 4711, "application": "api", "state": "idle in transaction",
                                   "since": "2025-12-20T14:30:00Z", "query": "SELECT *\n  FROM users"}])"));
  CHECK(error["waited_for"] == nlohmann::json::parse(R"({"relation": "users", "mode": "AccessExclusiveLock"})"));
}
