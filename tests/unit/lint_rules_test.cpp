// The lint's reading of SQL (libpg_query) and its rules, on measurements given by hand. The
// measurements themselves come from PostgreSQL in tests/e2e/lint_test.cpp.
#include "lint/rules.hpp"
#include "lint/sql_actions.hpp"

#include <catch2/catch.hpp>

using namespace sonamu;
using namespace sonamu::lint;
using Kind = SqlAction::Kind;

namespace {

std::vector<std::string> kinds(const std::string& sql) {
  std::vector<std::string> found;
  for (const auto& action : sql_actions(sql)) {
    const char* names[] = {"create_index", "create_index_concurrently", "add_validated_constraint",
                           "add_unvalidated_constraint", "add_index_constraint", "set_not_null", "alter_column_type", "add_column",
                           "drop_column", "rename_column", "data_change", "other_ddl"};
    found.push_back(std::string(names[static_cast<int>(action.kind)]) + " " +
                    (action.schema.empty() ? "" : action.schema + ".") + action.table +
                    (action.column.empty() ? "" : " " + action.column));
  }
  return found;
}

ExistingTable table(const std::string& name, long long bytes, long long rows) {
  ExistingTable t;
  t.schema = "public";
  t.name = name;
  t.bytes = bytes;
  t.rows = rows;
  return t;
}

std::vector<std::string> rules_of(const std::vector<Finding>& findings) {
  std::vector<std::string> rules;
  for (const auto& finding : findings) rules.push_back(finding.rule + " " + finding.table);
  return rules;
}

}  // namespace

TEST_CASE("lint: statements are read with PostgreSQL's grammar, not patterns") {
  CHECK(kinds(R"(CREATE INDEX "i" ON "users" ("a"))") == std::vector<std::string>{"create_index users"});
  CHECK(kinds("create index concurrently i on app.users (a)") ==
        std::vector<std::string>{"create_index_concurrently app.users"});
  CHECK(kinds(R"(ALTER TABLE users ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES t (id) NOT VALID,
                 ADD CHECK (a > 0), ALTER COLUMN a SET NOT NULL, ALTER COLUMN a TYPE bigint,
                 ADD COLUMN b timestamptz DEFAULT now(), DROP COLUMN c)") ==
        std::vector<std::string>{"add_unvalidated_constraint users FOREIGN KEY", "add_validated_constraint users CHECK",
                                 "set_not_null users a", "alter_column_type users a", "add_column users b",
                                 "drop_column users c"});
  // Constraints that build their index as they are added; one that takes an existing index builds none.
  CHECK(kinds(R"(ALTER TABLE users ADD CONSTRAINT u UNIQUE (a), ADD PRIMARY KEY (id),
                 ADD CONSTRAINT v UNIQUE USING INDEX users_b_index)") ==
        std::vector<std::string>{"add_index_constraint users UNIQUE", "add_index_constraint users PRIMARY KEY"});
  CHECK(kinds("ALTER TABLE users RENAME COLUMN a TO b") == std::vector<std::string>{"rename_column users a"});
  CHECK(kinds("UPDATE users SET a = $1; DELETE FROM logs") ==
        std::vector<std::string>{"data_change users", "data_change logs"});
  // A string that only looks like DDL is not DDL.
  CHECK(kinds("SELECT 'CREATE INDEX i ON users (a)'").empty());
  CHECK(kinds("this is not SQL").empty());
}

TEST_CASE("lint: lock modes, sizes and rows as the report writes them") {
  CHECK(lock_mode_text("AccessExclusiveLock") == "ACCESS EXCLUSIVE");
  CHECK(lock_mode_text("ShareRowExclusiveLock") == "SHARE ROW EXCLUSIVE");
  CHECK(lock_mode_text("ShareLock") == "SHARE");
  CHECK(table_text(table("users", 405798912, 5000000)) == "users (387 MB, ~5,000,000 rows)");
  CHECK(table_text(table("t", 8192, -1)) == "t (8192 bytes, rows not yet counted)");
  TableEffect effect;
  effect.table = table("users", 405798912, 5000000);
  effect.lock_mode = "AccessExclusiveLock";
  effect.rewritten = true;
  CHECK(effect_text(effect) == "rewrites users (387 MB, ~5,000,000 rows) under ACCESS EXCLUSIVE lock");
  effect.rewritten = false;
  effect.lock_mode = "ShareLock";
  CHECK(effect_text(effect) == "locks users (387 MB, ~5,000,000 rows) in SHARE mode");
}

TEST_CASE("lint: rules apply to existing tables from the size threshold, and can be turned off") {
  const std::vector<ExistingTable> existing = {table("big", 20LL << 20, 100000), table("small", 8192, 10)};
  LintSettings settings;  // 10 MB
  CHECK(rules_of(statement_findings(R"(CREATE INDEX i ON big (a))", {}, existing, settings)) ==
        std::vector<std::string>{"index-not-concurrent big"});
  CHECK(statement_findings(R"(CREATE INDEX CONCURRENTLY i ON big (a))", {}, existing, settings).empty());
  CHECK(statement_findings(R"(CREATE INDEX i ON created_in_this_batch (a))", {}, existing, settings).empty());
  CHECK(rules_of(statement_findings("ALTER TABLE small DROP COLUMN a", {}, existing, settings)) ==
        std::vector<std::string>{"drop-column small"});
  // A type change warns when PostgreSQL rewrote the table, not otherwise (varchar widening).
  TableEffect rewrite;
  rewrite.table = existing[0];
  rewrite.lock_mode = "AccessExclusiveLock";
  rewrite.rewritten = true;
  CHECK(rules_of(statement_findings("ALTER TABLE big ALTER COLUMN a TYPE bigint", {rewrite}, existing, settings)) ==
        std::vector<std::string>{"type-change-rewrite big"});
  CHECK(statement_findings("ALTER TABLE big ALTER COLUMN a TYPE varchar(20)", {}, existing, settings).empty());
  settings.disabled = {"drop-column"};
  CHECK(statement_findings("ALTER TABLE small DROP COLUMN a", {}, existing, settings).empty());
  settings.large_table_bytes = 1;
  CHECK(rules_of(statement_findings(R"(CREATE INDEX i ON small (a))", {}, existing, settings)) ==
        std::vector<std::string>{"index-not-concurrent small"});
}

TEST_CASE("lint: an index built without CONCURRENTLY on a table with rows, whatever its size, with lock and time") {
  ExistingTable empty = table("empty", 16384, 0);
  empty.empty = true;
  const std::vector<ExistingTable> existing = {table("small", 8192, 10), empty};
  const LintSettings settings;  // 10 MB: small is not large
  TableEffect share;
  share.table = existing[0];
  share.lock_mode = "ShareLock";
  const auto plain = statement_findings(R"(CREATE INDEX i ON small (a))", {share}, existing, settings,
                                        std::chrono::milliseconds(1700));
  REQUIRE(rules_of(plain) == std::vector<std::string>{"index-not-concurrent small"});
  CHECK(plain[0].message == "CREATE INDEX built its index on small (8192 bytes, ~10 rows) under SHARE lock for 1.7 s "
                            "in the rehearsal; every write to the table waits as long: use CREATE INDEX CONCURRENTLY, "
                            "in a migration without a transaction (SONAMU_MIGRATION_WITHOUT_TRANSACTION)");
  TableEffect exclusive = share;
  exclusive.lock_mode = "AccessExclusiveLock";
  const auto unique = statement_findings(R"(ALTER TABLE small ADD CONSTRAINT small_a_unique UNIQUE (a))", {exclusive},
                                         existing, settings, std::chrono::milliseconds(12));
  REQUIRE(rules_of(unique) == std::vector<std::string>{"index-not-concurrent small"});
  CHECK(unique[0].message == "ADD UNIQUE built its index on small (8192 bytes, ~10 rows) under ACCESS EXCLUSIVE lock "
                             "for 12 ms in the rehearsal; every query of the table waits as long: build the index with "
                             "CREATE UNIQUE INDEX CONCURRENTLY in a migration without a transaction, then ADD "
                             "CONSTRAINT ... UNIQUE USING INDEX");
  // Not measured: said so, never left out.
  CHECK_THAT(statement_findings(R"(CREATE INDEX i ON small (a))", {}, existing, settings)[0].message,
             Catch::Contains("under the lock an earlier statement took (time not measured)"));
  // A table whose heap has no page holds no row: nothing to read under the lock.
  CHECK(statement_findings(R"(CREATE INDEX i ON empty (a))", {}, existing, settings).empty());
  CHECK(statement_findings(R"(ALTER TABLE small ADD CONSTRAINT u UNIQUE USING INDEX i)", {}, existing, settings).empty());
}

#include "core/order_check.hpp"

TEST_CASE("order: pending migrations that sort before the newest applied one") {
  std::vector<AppliedMigration> applied(2);
  applied[0].stem = "20240101000000_a";
  applied[0].name = "20240101000000_a.js";
  applied[1].stem = "20240301000000_c";
  applied[1].name = "20240301000000_c.js";
  const auto late = late_pending({"20240201000000_b", "20240401000000_d", "20231201000000_z"}, applied);
  CHECK(late.stems == std::vector<std::string>{"20231201000000_z", "20240201000000_b"});
  CHECK(late.newest_applied == "20240301000000_c.js");
  CHECK(late_pending({"20240401000000_d"}, applied).stems.empty());
  CHECK(late_pending({"20240401000000_d"}, applied).newest_applied.empty());
  CHECK(late_pending({"20240101000000_x"}, {}).stems.empty());
  CHECK(late_refusal({"20231201000000_z.cpp", "20240201000000_b.cpp"}, late.newest_applied) ==
        "Refusing to apply 20231201000000_z.cpp, 20240201000000_b.cpp: pending, but sorting before "
        "20240301000000_c.js, the newest applied migration (a branch merged late?); rename it after that one, or "
        "set outOfOrder to \"warn\" to apply it anyway");
}

TEST_CASE("lint: only statements the grammar clears of every existing table go unmeasured") {
  using sonamu::lint::may_touch;
  const std::vector<std::string> existing = {"users", "orders"};
  // New objects that name no existing table.
  CHECK_FALSE(may_touch(R"(CREATE TABLE "posts" ("id" serial primary key, "at" timestamptz DEFAULT now()))", existing));
  CHECK_FALSE(may_touch(R"(CREATE INDEX "posts_id" ON "posts" ("id"))", existing));
  CHECK_FALSE(may_touch(R"(ALTER TABLE "posts" ADD COLUMN "title" text)", existing));
  CHECK_FALSE(may_touch("CREATE SEQUENCE s; COMMENT ON TABLE posts IS 'x'", existing));
  // An existing table named anywhere: measured.
  CHECK(may_touch(R"(CREATE TABLE "posts" ("user_id" integer REFERENCES "users" ("id")))", existing));
  CHECK(may_touch(R"(CREATE TABLE "copy" (LIKE "public"."orders"))", existing));
  CHECK(may_touch(R"(CREATE TABLE "part" PARTITION OF "orders" DEFAULT)", existing));
  CHECK(may_touch(R"(ALTER TABLE "users" ADD COLUMN "x" integer)", existing));
  CHECK(may_touch(R"(CREATE INDEX ON "orders" ("id"))", existing));
  // A function call outside CREATE TABLE may read anything; so may any other statement.
  CHECK(may_touch(R"(ALTER TABLE "posts" ADD COLUMN "n" integer DEFAULT count_users())", existing));
  CHECK(may_touch("SELECT 1", existing));
  CHECK(may_touch("DO $$ BEGIN PERFORM 1; END $$", existing));
  CHECK(may_touch("DROP TABLE posts", existing));
  CHECK(may_touch("not sql at all", existing));
}
