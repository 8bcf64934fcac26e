// The exact output lines, compared with the reference guide.
#include "output/format.hpp"
#include "output/terminal_reporter.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace sonamu;
using namespace sonamu::cli;

TEST_CASE("singular and plural as the guide writes them") {
  CHECK(count_migrations(0) == "0 migrations");
  CHECK(count_migrations(1) == "1 migration");
  CHECK(count_migrations(2) == "2 migrations");
  CHECK(batch_line(Direction::down, 2, 1) == "Batch 2 rolled back: 1 migration");
  CHECK(batch_line(Direction::down, 3, 2) == "Batch 3 rolled back: 2 migrations");
  CHECK(batch_line(Direction::up, 1, 6) == "Batch 1 run: 6 migrations");
}

TEST_CASE("status groups batches with a blank line between, then pending") {
  StatusReport report;
  report.executed = {
      {1, {{1, "20251220143022_create__users.ts", "20251220143022_create__users", 1, ""},
           {2, "20251220143100_create__posts.ts", "20251220143100_create__posts", 1, ""}}},
      {2, {{3, "20251220143200_alter_users_add1.ts", "20251220143200_alter_users_add1", 2, ""}}}};
  report.pending = {"20251220143300_alter_posts_add1.ts"};
  CHECK(status_text(report) ==
        "Executed migrations (Batch 1):\n"
        "  ✅ 20251220143022_create__users.ts\n"
        "  ✅ 20251220143100_create__posts.ts\n"
        "\n"
        "Executed migrations (Batch 2):\n"
        "  ✅ 20251220143200_alter_users_add1.ts\n"
        "\n"
        "Pending migrations:\n"
        "  ⏳ 20251220143300_alter_posts_add1.ts\n");
}

TEST_CASE("status says so when either list is empty") {
  StatusReport empty;
  empty.pending = {"20251220143022_create__users.cpp"};
  CHECK(status_text(empty) ==
        "No executed migrations\n\nPending migrations:\n  ⏳ 20251220143022_create__users.cpp\n");
  StatusReport done;
  done.executed = {{1, {{1, "20251220143022_create__users.cpp", "20251220143022_create__users", 1, ""}}}};
  CHECK(status_text(done) ==
        "Executed migrations (Batch 1):\n  ✅ 20251220143022_create__users.cpp\n\nNo pending migrations\n");
}

TEST_CASE("statements show their bindings the way knex lists them") {
  CHECK(statement_line("ALTER TABLE \"users\" DROP COLUMN \"phone\"", {}) ==
        "SQL: ALTER TABLE \"users\" DROP COLUMN \"phone\"");
  CHECK(statement_line("UPDATE t SET a = $1, b = $2", {Param{"x"}, std::nullopt}) ==
        "SQL: UPDATE t SET a = $1, b = $2 ['x', NULL]");
  CHECK(statement_line("SELECT $1, $2", {Param{"it's"}, Param{"a\\b"}}) ==
        "SQL: SELECT $1, $2 ['it''s', E'a\\\\b']");
}

TEST_CASE("rollback --all output matches the guide line for line") {
  std::ostringstream out, err;
  TerminalReporter reporter(out, err, {false, false});
  reporter.batch_committed(Direction::down, 2, {"20251220143200_alter_users_add1.ts"});
  reporter.batch_committed(Direction::down, 1,
                           {"20251220143100_create__posts.ts", "20251220143022_create__users.ts"});
  reporter.all_rolled_back();
  CHECK(out.str() ==
        "Batch 2 rolled back: 1 migration\n"
        "✅ 20251220143200_alter_users_add1.ts\n"
        "\n"
        "Batch 1 rolled back: 2 migrations\n"
        "✅ 20251220143100_create__posts.ts\n"
        "✅ 20251220143022_create__users.ts\n"
        "\n"
        "All migrations rolled back successfully\n");
  CHECK(err.str().empty());
}

TEST_CASE("verbose rollback output matches the guide's log") {
  std::ostringstream out, err;
  TerminalReporter reporter(out, err, {true, false});
  reporter.migration_started(Direction::down, "20251220143200_alter_users_add1.ts");
  reporter.statement("ALTER TABLE \"users\" DROP COLUMN \"phone\"", {});
  reporter.migration_finished(Direction::down, "20251220143200_alter_users_add1.ts",
                              std::chrono::milliseconds(23));
  reporter.batch_committed(Direction::down, 2, {"20251220143200_alter_users_add1.ts"});
  CHECK(out.str() ==
        "Rolling back migration: 20251220143200_alter_users_add1.ts\n"
        "SQL: ALTER TABLE \"users\" DROP COLUMN \"phone\"\n"
        "✅ Completed in 23ms\n"
        "\n"
        "Batch 2 rolled back: 1 migration\n");
}

TEST_CASE("a failure goes to stderr in the guide's form") {
  std::ostringstream out, err;
  TerminalReporter reporter(out, err, {false, false});
  reporter.migration_failed(Direction::down, "20251220143200_alter_users_add1.ts",
                            "column \"phone\" does not exist", "42703");
  CHECK(out.str().empty());
  CHECK(err.str() ==
        "❌ Error rolling back 20251220143200_alter_users_add1.ts\n"
        "   Error: column \"phone\" does not exist\n");
  CHECK(failed_line(Direction::up, "x.cpp") == "❌ Error running x.cpp");
}

TEST_CASE("a stopped rollback --all names the batches that stay rolled back") {
  CHECK(rollback_all_stopped_line({3, 2}, 1) ==
        "Rollback stopped at batch 1: batches 3, 2 stay rolled back; batch 1 and older are unchanged");
  CHECK(rollback_all_stopped_line({3}, 2) ==
        "Rollback stopped at batch 2: batch 3 stays rolled back; batch 2 and older are unchanged");
  CHECK(rollback_all_stopped_line({}, 4) == "Rollback stopped at batch 4: no batch was rolled back");
}

TEST_CASE("plain ASCII marks with NO_COLOR, colours only on request") {
  const Style plain{false, false};
  CHECK(ok_mark(plain) == "[ok]");
  CHECK(pending_mark(plain) == "[pending]");
  CHECK(failed_line(Direction::up, "x.cpp", plain) == "[error] Error running x.cpp");
  StatusReport report;
  report.executed = {{1, {{1, "a.cpp", "a", 1, ""}}}};
  report.pending = {"b.cpp"};
  CHECK(status_text(report, plain) ==
        "Executed migrations (Batch 1):\n  [ok] a.cpp\n\nPending migrations:\n  [pending] b.cpp\n");
  const Style coloured{true, true};
  CHECK(ok_mark(coloured) == "\033[32m✅\033[0m");
  CHECK(error_mark(coloured) == "\033[31m❌\033[0m");
}

TEST_CASE("status marks an applied migration edited since, and says what to do") {
  StatusReport report;
  report.executed = {{1, {{1, "20251220143022_create__users.cpp", "20251220143022_create__users", 1, ""},
                          {2, "20251220143100_create__posts.cpp", "20251220143100_create__posts", 1, ""}}}};
  report.edited = {"20251220143100_create__posts.cpp"};
  CHECK(status_text(report) ==
        "Executed migrations (Batch 1):\n"
        "  ✅ 20251220143022_create__users.cpp\n"
        "  ✅ 20251220143100_create__posts.cpp  (edited since it was applied)\n"
        "\n"
        "No pending migrations\n"
        "\n"
        "1 applied migration was edited since it was applied: the database has the old version. If the change is "
        "intended, run `sonamu migrate accept 20251220143100_create__posts.cpp`.\n");
  // Each edited migration is named in a command of its own.
  report.edited = {"20251220143022_create__users.cpp", "20251220143100_create__posts.cpp"};
  const std::string text = status_text(report);
  CHECK(text.substr(text.find("\n2 applied")) ==
        "\n2 applied migrations were edited since they were applied: the database has the old version. If the "
        "change is intended, run `sonamu migrate accept 20251220143022_create__users.cpp` and `sonamu migrate "
        "accept 20251220143100_create__posts.cpp`.\n");
}

TEST_CASE("verify's data lines: paired by key, sampled, rows gone") {
  ValueDrift age;
  age.display = "users.age";
  age.differing = 1;
  age.compared = 2;
  age.before = "'025'";
  age.after = "'25'";
  CHECK(drift_line(age) == "users.age: 1 of 2 values differ, '025' → '25'");
  ValueDrift sampled = age;
  sampled.sampled = true;
  sampled.differing = 1200;
  sampled.compared = 10000;
  CHECK(drift_line(sampled) == "users.age: 1,200 of 10,000 sampled values differ, '025' → '25'");
  ValueDrift unpaired = age;
  unpaired.after.clear();
  CHECK(drift_line(unpaired) == "users.age: 1 of 2 values differ, '025' → ?");
  ValueDrift rows;
  rows.display = "users";
  rows.rows = true;
  rows.differing = 3;
  rows.compared = 5;
  CHECK(drift_line(rows) == "users: 3 of 5 rows missing after down");
}
