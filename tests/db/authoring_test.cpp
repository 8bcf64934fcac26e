// Writing migrations as knex users do, on a real PostgreSQL through the production handle:
// typed values both ways, knex's chain order, errors where the statement ends, SQL
// migration files.
#include "../support/test_database.hpp"
#include "grammar/sql_migration_file.hpp"
#include "transaction_knex_support.hpp"

#include <sonamu/json.hpp>
#include <sonamu/sql_script.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

using namespace sonamu;
using sonamu::test::TestDatabase;
using sonamu::test::with_knex;

TEST_CASE("typed values are bound and read back by PostgreSQL") {
  TestDatabase db;
  using namespace std::chrono;
  const auto id = Uuid::v4();
  // Microseconds: PostgreSQL's precision.
  const auto at = time_point_cast<microseconds>(system_clock::now());
  with_knex(db, [&](Knex& knex) {
    knex.raw("SET LOCAL TIME ZONE 'Asia/Seoul'");  // timestamptz text carries +09
    knex.schema.createTable("v", [](auto& t) {
      t.uuid("id");
      t.json("j");
      t.jsonb("jb");
      t.timestamp("tz");
      t.timestamp("plain", TimestampOptions{false});
      t.integer("i");
      t.bigInteger("big");
      t.double_("d");
      t.boolean("b");
      t.text("n").nullable();
    });
    const nlohmann::json document{{"list", {1, 2, 3}}, {"name", "it's \"quoted\""}};
    knex("v").insert({{"id", id}, {"j", document}, {"jb", document}, {"tz", at}, {"plain", at}, {"i", -7},
                      {"big", 9007199254740993LL}, {"d", 0.1}, {"b", false}, {"n", nullptr}});
    const Result rows = knex("v").where("id", id).where("tz", at).where("jb", "@>", nlohmann::json{{"list", {2}}});
    REQUIRE(rows.size() == 1);
    const auto row = rows[0];
    CHECK(row["id"].as<Uuid>() == id);
    CHECK(row["j"].as<nlohmann::json>() == document);
    CHECK(row["jb"].as<nlohmann::json>() == document);
    CHECK(row["tz"].text()->substr(row["tz"].text()->size() - 3) == "+09");
    CHECK(row["tz"].as<system_clock::time_point>() == at);
    CHECK(row["plain"].as<system_clock::time_point>() == at);
    CHECK(row["i"].as<int>() == -7);
    CHECK(row["big"].as<long long>() == 9007199254740993LL);
    CHECK(row["d"].as<double>() == 0.1);
    CHECK_FALSE(row["b"].as<bool>());
    CHECK(row["n"].as<std::optional<std::string>>() == std::nullopt);
  });
  CHECK(db.scalar("SELECT jb->>'name' FROM v") == "it's \"quoted\"");
  CHECK(db.scalar("SELECT id::text FROM v") == id.str());
}

TEST_CASE("chains run in knex's order, once, and their errors are thrown where they end") {
  TestDatabase db;
  const auto sent = with_knex(db, [](Knex& knex) {
    knex.schema.createTable("t", [&](auto& t) {
      t.increments();
      t.integer("n").notNullable();
      t.uuid("key").defaultTo(knex.raw("gen_random_uuid()"));
    });
    const Result inserted = knex("t").insert(std::vector<Row>{{{"n", 1}}, {{"n", 2}}, {{"n", 3}}}).returning("*");
    CHECK(inserted.size() == 3);
    CHECK_FALSE(inserted[0]["key"].is_null());
    knex("t").update({{"n", knex.raw("\"n\" * $1", 10)}}).where("id", 2);
    knex("t").del().where("n", 3);
    CHECK(knex("t").del().where("n", 12345).affected_rows() == 0);
    const Result rows = knex("t").orderBy({"n", "id"});
    REQUIRE(rows.size() == 2);
    CHECK(rows[1]["n"].as<int>() == 20);
  });
  CHECK(sent.size() == 6);
  CHECK(db.scalar("SELECT string_agg(n::text, ',' ORDER BY n) FROM t") == "1,20");

  CHECK_THROWS(with_knex(db, [](Knex& knex) {
    bool thrown = false;
    try {
      knex("no_such_table").del().where("id", 1);
    } catch (const std::exception&) {
      thrown = true;
    }
    CHECK(thrown);
    throw std::runtime_error("the migration fails");  // and its transaction is rolled back
  }));
}

namespace {

/// A SQL migration whose statements hold semicolons that do not end them: a SQL-standard body,
/// a rule with two actions, a PL/pgSQL body in dollar quotes, an E'' string, comments.
const char* const ledger_file = R"(-- migrate:up
CREATE TABLE "entries" ("id" serial PRIMARY KEY, "amount" int NOT NULL, "note" text DEFAULT E'it\'s; fine');
CREATE TABLE "entry_log" ("amount" int); CREATE TABLE "entry_count" ("n" int NOT NULL); -- two; one line
INSERT INTO "entry_count" VALUES (0);
CREATE FUNCTION "doubled"(x int) RETURNS int LANGUAGE sql
BEGIN ATOMIC
  SELECT 1; -- not the result; the last statement's is
  SELECT x * 2;
END;
/* Each insert is logged and counted; */
CREATE RULE "entries_logged" AS ON INSERT TO "entries" DO ALSO (
  INSERT INTO "entry_log" VALUES (NEW."amount");
  UPDATE "entry_count" SET "n" = "n" + 1;
);
CREATE FUNCTION "labelled"(t text) RETURNS text LANGUAGE plpgsql AS $body$
BEGIN
  RETURN t || '; labelled';
END;
$body$;
-- migrate:down
DROP FUNCTION "labelled"(text);
DROP RULE "entries_logged" ON "entries";
DROP FUNCTION "doubled"(int);
DROP TABLE "entry_count", "entry_log", "entries";
)";

/// Runs `statements` the way a built SQL migration does: a null-ended array of their texts.
void run_statements(Knex& knex, const std::vector<std::string>& statements) {
  std::vector<const char*> texts;
  for (const auto& statement : statements) texts.push_back(statement.c_str());
  texts.push_back(nullptr);
  run_sql_statements(knex, texts.data());
}

}  // namespace

TEST_CASE("a SQL migration's statements, split by PostgreSQL's grammar, run and revert on PostgreSQL") {
  TestDatabase db;
  const grammar::SqlMigrationFile file = grammar::read_sql_migration(ledger_file);
  const auto sent = with_knex(db, [&](Knex& knex) { run_statements(knex, file.up); });
  CHECK(sent == file.up);
  CHECK(sent.size() == 7);
  // The SQL-standard body is stored parsed, as one function of two statements.
  CHECK(db.scalar("SELECT prosqlbody IS NOT NULL FROM pg_proc WHERE proname = 'doubled'") == "t");
  CHECK(db.scalar("SELECT \"doubled\"(21)") == "42");
  CHECK(db.scalar("SELECT \"labelled\"('x')") == "x; labelled");
  // The rule holds both actions: one insert logs the amount and counts it.
  CHECK(db.scalar("SELECT count(*) FROM pg_rewrite WHERE rulename = 'entries_logged'") == "1");
  db.query("INSERT INTO \"entries\" (\"amount\") VALUES (7)");
  CHECK(db.scalar("SELECT string_agg(\"amount\"::text, ',') FROM \"entry_log\"") == "7");
  CHECK(db.scalar("SELECT \"n\" FROM \"entry_count\"") == "1");
  CHECK(db.scalar("SELECT \"note\" FROM \"entries\"") == "it's; fine");

  REQUIRE(file.down);
  CHECK(with_knex(db, [&](Knex& knex) { run_statements(knex, *file.down); }) == *file.down);
  CHECK(db.scalar("SELECT count(*) FROM pg_proc WHERE proname IN ('doubled', 'labelled')") == "0");
  CHECK(db.scalar("SELECT count(*) FROM pg_rewrite WHERE rulename = 'entries_logged'") == "0");
  CHECK_FALSE(db.has_table("entries"));
}

TEST_CASE("column checks are enforced by PostgreSQL under the names given") {
  TestDatabase db;
  with_knex(db, [](Knex& knex) {
    knex.schema.createTable("c", [](auto& t) {
      t.integer("price").checkPositive("price_positive");
      t.string("code").checkRegex("^[A-Z]{3}$").checkLength("=", 3);
      t.string("state").checkIn({"open", "closed"});
    });
    knex("c").insert({{"price", 1}, {"code", "ABC"}, {"state", "open"}});
  });
  CHECK(db.scalar("SELECT count(*) FROM pg_constraint WHERE conname = 'price_positive' AND contype = 'c'") == "1");
  CHECK(db.scalar("SELECT count(*) FROM pg_constraint WHERE conrelid = 'c'::regclass AND contype = 'c'") == "4");
  for (const char* bad : {R"(INSERT INTO c (price) VALUES (0))", R"(INSERT INTO c (code) VALUES ('abc'))",
                          R"(INSERT INTO c (state) VALUES ('gone'))"}) {
    INFO(bad);
    CHECK_THROWS(db.query(bad));
  }
}

TEST_CASE("table checks and checks of altered columns are enforced by PostgreSQL, and dropChecks drops them") {
  TestDatabase db;
  with_knex(db, [](Knex& knex) {
    knex.schema.createTable("k", [](auto& t) {
      t.integer("a");
      t.integer("b");
      t.string("s");
      t.check(R"("a" > $1)", {5}, "a_big");
      t.check("b <> -13");  // unnamed: PostgreSQL names it
    });
    knex.schema.alterTable("k", [](auto& t) {
      t.check(R"("b" < $1)", {100});  // k_1
      t.check("s <> $1", {"it's"}, "s_not_its");
      t.integer("b").checkNegative().checkBetween({{-50, -40}, {-20, -10}}, "b_ranges").alter();
      t.string("s").checkIn({"x", "y"}).checkRegex("^[a-z]$", "s_letter").alter(false, false);
    });
    knex("k").insert({{"a", 6}, {"b", -15}, {"s", "x"}});
  });
  const auto checks = [&] {
    return db.scalar("SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint "
                     "WHERE conrelid = 'k'::regclass AND contype = 'c'");
  };
  CHECK(checks() == "a_big,b_ranges,k_1,k_b_1,k_b_check,k_s_1,s_letter,s_not_its");
  // The bound value arrived as the literal it was, quote and all.
  CHECK_THAT(db.scalar("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 's_not_its'"),
             Catch::Contains("<> 'it''s'"));
  for (const char* bad : {"INSERT INTO k (a) VALUES (5)", "INSERT INTO k (b) VALUES (-13)", "INSERT INTO k (b) VALUES (-30)",
                          "INSERT INTO k (b) VALUES (1)", "INSERT INTO k (s) VALUES ('z')", "INSERT INTO k (s) VALUES ('xy')"}) {
    INFO(bad);
    CHECK_THROWS(db.query(bad));
  }
  db.query("INSERT INTO k (a, b, s) VALUES (7, -45, 'y')");
  with_knex(db, [](Knex& knex) {
    knex.schema.alterTable("k", [](auto& t) { t.dropChecks({"a_big", "k_1", "k_b_1", "b_ranges", "k_s_1", "s_letter"}); });
  });
  CHECK(checks() == "k_b_check,s_not_its");
  db.query("INSERT INTO k (a, b, s) VALUES (1, 500, 'q')");
  CHECK(db.scalar("SELECT count(*) FROM k") == "3");
}
