// Writing migrations as knex users do: knex's evaluation order (a chain runs when its statement
// ends), knex.raw as a value or a statement, typed values both ways, SQL files run
// statement by statement. SQL texts come from knex itself (tests/knex/builder_cases.js, same case names).
#include "knex_oracle.hpp"
#include "schema_recording_knex.hpp"

#include <sonamu/json.hpp>
#include <sonamu/sql_script.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <set>
#include <stdexcept>

using namespace sonamu;
using sonamu::test::check_against_knex;
using sonamu::test::RecordingKnex;

namespace {

/// A handle whose statements all fail, as a database error would.
class FailingKnex : public RecordingKnex {
 protected:
  Result execute(const std::string& sql, const std::vector<Param>& params) override {
    RecordingKnex::execute(sql, params);
    throw std::runtime_error("the statement failed");
  }
};

Result one_row(std::vector<std::string> columns, std::vector<Value> values) {
  return Result(std::move(columns), {std::move(values)}, 1);
}

}  // namespace

TEST_CASE("knex's order: del, update and insert before where and returning") {
  RecordingKnex knex;
  knex("users").del().where("id", 1);
  knex("users").update({{"a", 1}}).where("id", 2).whereNull("b");
  knex("users").insert({{"a", 1}}).returning("*");
  check_against_knex(knex.sent);
}

TEST_CASE("whereExists and whereNotExists with a sub-query, bindings in order") {
  RecordingKnex knex;
  const Result rows = knex("users")
                          .where("a", 1)
                          .whereExists(knex("orders").whereRaw(R"("orders"."user_id" = "users"."id")").where("total", ">", 10))
                          .whereNotExists(knex("bans").whereRaw(R"("bans"."user_id" = "users"."id")"))
                          .where("b", 2);
  (void)rows;
  check_against_knex(knex.sent);
}

TEST_CASE("whereRaw with bound values") {
  RecordingKnex knex;
  knex("users").whereRaw("age > $1 and age < $2", 18, 65).where("c", 3).del();
  check_against_knex(knex.sent);
}

TEST_CASE("orderBy with a list of columns") {
  RecordingKnex knex;
  const Result rows = knex("users").orderBy({"last_name", "first_name"});
  (void)rows;
  check_against_knex(knex.sent);
  // The list is never taken for std::string's iterator-pair constructor.
  CHECK(knex("users").orderBy(std::vector<std::string>{"last_name", "first_name"}).toSQL() == knex.sent.at(0));
}

TEST_CASE("unique with the indexName option") {
  RecordingKnex knex;
  knex.schema.alterTable("users", [](auto& t) { t.unique({"a", "b"}, {.indexName = "users_ab_key"}); });
  check_against_knex(knex.sent);
}

TEST_CASE("column checks: positive, negative, in, not in, between, length, regex, named") {
  RecordingKnex knex;
  knex.schema.createTable("t", [](auto& t) {
    t.integer("price").notNullable().defaultTo(1).checkPositive();
    t.integer("n").checkNegative("n_negative");
    t.string("s").checkIn({"a", "it's"});
    t.string("z").checkNotIn({"x"});
    t.decimal("r").checkBetween(1, 10.5, "r_range");
    t.string("l").checkLength(">=", 3);
    t.string("x").checkRegex("^[a-z]+$");
  });
  knex.schema.alterTable("t", [](auto& t) { t.integer("q").checkPositive(); });
  check_against_knex(knex.sent);
  CHECK_THROWS_AS(knex.schema.createTable("u", [](auto& t) { t.string("l").checkLength("; DROP", 3); }), DefinitionError);
  CHECK_THROWS_AS(knex.schema.createTable("u", [](auto& t) { t.string("l").checkIn({}); }), DefinitionError);
}

TEST_CASE("column checks on columns added by alterTable, with and without names") {
  RecordingKnex knex;
  knex.schema.alterTable("t", [](auto& t) {
    t.integer("p").checkPositive("p_positive");
    t.integer("n").checkNegative();
    t.string("s").checkIn({"a", "it's"}, "s_in");
    t.string("z").checkNotIn({"x", "y"});
    t.decimal("r").checkBetween(0, 1.5);
    t.decimal("w").checkBetween({{1, 2}, {5, 6}}, "w_ranges");
    t.string("l").checkLength("<", 10, "l_short");
    t.string("x").checkRegex("^[a-z]+$", "x_lower");
  });
  check_against_knex(knex.sent);
}

TEST_CASE("column checks of altered columns are constraints of their own, numbered per column") {
  RecordingKnex knex;
  knex.schema.alterTable("t", [](auto& t) {
    t.integer("p").checkPositive().checkNegative("p_negative").alter();
    t.string("s").notNullable().checkIn({"a"}).checkNotIn({"b"}).comment("state").alter();
    t.decimal("r").checkBetween(1, 2).alter(false);
    t.string("l").checkLength(">=", 2).checkRegex("^x", "l_x").alter();
    t.integer("added").checkPositive();
  });
  check_against_knex(knex.sent);
}

TEST_CASE("column checks in createTable with several intervals and every named form") {
  RecordingKnex knex;
  knex.schema.createTable("t", [](auto& t) {
    t.integer("p").checkPositive("p_positive");
    t.string("s").checkIn({"a"}, "s_in").checkNotIn({"b"}, "s_not_b");
    t.decimal("w").checkBetween({{1, 2}, {5, 6}});
    t.string("l").checkLength("<>", 4, "l_len");
    t.string("x").checkRegex("it's", "x_re");
  });
  check_against_knex(knex.sent);
  CHECK_THROWS_AS(knex.schema.createTable("u", [](auto& t) { t.decimal("w").checkBetween({}); }), DefinitionError);
}

TEST_CASE("table checks in createTable: named, unnamed, with bindings") {
  RecordingKnex knex;
  knex.schema.createTable("t", [](auto& t) {
    t.integer("a");
    t.string("b").primary();
    t.check(R"("a" > $1)", {5}, "a_big");
    t.check("a < 100");
    t.check("b <> $1", {"it's"});
  });
  check_against_knex(knex.sent);
}

TEST_CASE("table checks in alterTable and dropChecks") {
  RecordingKnex knex;
  knex.schema.alterTable("t", [](auto& t) {
    t.integer("a");
    t.check("a < 100", {}, "a_small");
    t.index("a");
    t.check("a <> 7");
    t.check("a <> 8");
  });
  knex.schema.alterTable("t", [](auto& t) {
    t.dropChecks({"a_small", "t_1"});
    t.dropChecks("t_2");
    t.dropChecks();
  });
  // knex 3 writes the quoted table name into the generated name, which PostgreSQL rejects;
  // this builder writes the name knex means, the one dropChecks("t_1") drops.
  check_against_knex(knex.sent, {{3, {R"(alter table "t" add constraint "t"_1 check(a <> 7))",
                                      R"(ALTER TABLE "t" ADD CONSTRAINT t_1 CHECK(a <> 7))"}},
                                 {4, {R"(alter table "t" add constraint "t"_2 check(a <> 8))",
                                      R"(ALTER TABLE "t" ADD CONSTRAINT t_2 CHECK(a <> 8))"}}});
  CHECK_THROWS_AS(knex.schema.createTable("u", [](auto& t) { t.dropChecks("x"); }), DefinitionError);
  CHECK_THROWS_AS(knex.schema.alterTable("u", [](auto& t) { t.check("a > $2", {1}); }), DefinitionError);
  CHECK_THROWS_AS(knex.schema.alterTable("u", [](auto& t) { t.check(""); }), DefinitionError);
}

TEST_CASE("table check bindings: numbers and booleans bare, null, strings quoted") {
  RecordingKnex knex;
  knex.schema.createTable("t", [](auto& t) {
    t.integer("a");
    t.check("a = $1 or b = $2 or c is not $3 or d = $4", {1.5, true, nullptr, "x"});
  });
  check_against_knex(knex.sent);
}

TEST_CASE("table check with bindings in alterTable") {
  RecordingKnex knex;
  knex.schema.alterTable("t", [](auto& t) { t.check(R"("a" > $1)", {5}, "a_big"); });
  // knex 3 drops the bindings of an alterTable check and sends the placeholders; they are
  // written in here, as knex does in createTable.
  check_against_knex(knex.sent, {{0, {R"(alter table "t" add constraint a_big check(?? > ?))",
                                      R"(ALTER TABLE "t" ADD CONSTRAINT a_big CHECK("a" > 5))"}}});
}

TEST_CASE("check constraint names that are not plain lower-case identifiers are quoted") {
  RecordingKnex knex;
  knex.schema.alterTable("t", [](auto& t) {
    t.integer("p").checkPositive("P Positive");
    t.check("p < 9", {}, "Small");
    t.dropChecks({"Small", "p_9"});
  });
  CHECK(knex.sent.at(0).sql == R"(ALTER TABLE "t" ADD COLUMN "p" integer CONSTRAINT "P Positive" CHECK ("p" > 0))");
  CHECK(knex.sent.at(1).sql == R"(ALTER TABLE "t" ADD CONSTRAINT "Small" CHECK(p < 9))");
  CHECK(knex.sent.at(2).sql == R"(ALTER TABLE "t" DROP CONSTRAINT "Small", DROP CONSTRAINT p_9)");
}

TEST_CASE("knex.raw as a default value and as a value in update") {
  RecordingKnex knex;
  knex.schema.createTable("t", [&](auto& t) { t.uuid("id").defaultTo(knex.raw("uuid_generate_v4()")); });
  knex("t").update({{"n", knex.raw("n + $1", 1)}});
  check_against_knex(knex.sent);
}

TEST_CASE("each chain runs once, at the end of its statement, in the order written") {
  RecordingKnex knex;
  knex("a").del();
  CHECK(knex.sql() == std::vector<std::string>{R"(DELETE FROM "a")"});
  {
    auto q = knex("b").where("x", 1);  // a select never read: nothing runs
    (void)q;
  }
  CHECK(knex.sent.size() == 1);
  {
    // A named builder is a template: each write from it runs at the end of its own statement.
    auto q = knex("b").where("x", 1);
    q.del();
    CHECK(knex.sent.size() == 2);
    q.update({{"y", 2}});
    CHECK(knex.sent.size() == 3);
    CHECK(knex.sent.back().sql == R"(UPDATE "b" SET "y" = $1 WHERE "x" = $2)");
  }
  {
    // A copy taken of a pending chain does not carry the run: the chain runs once.
    auto copy = knex("c").del().where("x", 1);
    CHECK(knex.sent.size() == 4);
  }
  CHECK(knex.sent.size() == 4);
  {
    // A pending chain kept whole in a variable runs when read, and only then.
    auto pending = knex("d").insert({{"x", 1}});
    CHECK(knex.sent.size() == 4);
    CHECK(pending.affected_rows() == 0);
    CHECK(knex.sent.size() == 5);
    (void)pending.rows();
  }
  CHECK(knex.sent.size() == 5);
  {
    // ... or at the end of the variable's life when nothing read it.
    auto pending = knex("e").del();
    CHECK(knex.sent.size() == 5);
  }
  CHECK(knex.sent.size() == 6);
  CHECK(knex.sent.back().sql == R"(DELETE FROM "e")");
}

TEST_CASE("reading a chain's result runs it and gives its rows") {
  RecordingKnex knex;
  knex.reply = one_row({"id"}, {Value{"7"}});
  const Result inserted = knex("users").insert({{"a", 1}}).returning("id");
  CHECK(inserted[0]["id"].as<int>() == 7);
  CHECK(knex("users").del().where("id", 7).affected_rows() == 1);
  CHECK(knex("users").where("id", 7).first()[0]["id"].as<long>() == 7);
  int seen = 0;
  for (const auto row : knex("users").rows()) seen += row["id"].as<int>();
  CHECK(seen == 7);
  CHECK(knex.sent.size() == 4);
}

TEST_CASE("a failing chain throws where its statement ends, and runs once") {
  FailingKnex knex;
  CHECK_THROWS_WITH(knex("users").del().where("id", 1), "the statement failed");
  CHECK(knex.sent.size() == 1);
  CHECK_THROWS_WITH(knex.raw("SELECT 1"), "the statement failed");
  CHECK(knex.sent.size() == 2);
  // Read and failed: the end of its life does not run it again.
  {
    auto pending = knex("users").del();
    CHECK_THROWS(pending.rows());
  }
  CHECK(knex.sent.size() == 3);
}

TEST_CASE("a chain pending while another exception unwinds stays silent") {
  RecordingKnex knex;
  try {
    auto pending = knex("users").del();
    throw std::logic_error("the migration's own error");
  } catch (const std::logic_error& e) {
    CHECK(std::string(e.what()) == "the migration's own error");
  }
  CHECK(knex.sent.empty());
  // A chain that is created and ends inside a handler runs as usual.
  try {
    throw std::logic_error("x");
  } catch (const std::logic_error&) {
    knex("users").del();
  }
  CHECK(knex.sent.size() == 1);
}

TEST_CASE("knex.raw: a statement runs, a value does not, schema.raw chains") {
  RecordingKnex knex;
  knex.raw("SELECT $1::int", 1);
  knex.schema.raw("SELECT $1::text", "x").raw("SELECT 2");
  CHECK(knex.sent == std::vector<Statement>{
                         {"SELECT $1::int", {Param{"1"}}}, {"SELECT $1::text", {Param{"x"}}}, {"SELECT 2", {}}});
  const Raw fragment = knex.raw("now()");
  CHECK(fragment.sql == "now()");
  knex("t").whereRaw(knex.raw("a = $1", 2)).del();
  CHECK(knex.sent.back() == Statement{R"(DELETE FROM "t" WHERE a = $1)", {Param{"2"}}});
  CHECK(knex.sent.size() == 4);
  knex.reply = one_row({"n"}, {Value{"3"}});
  const auto n = knex.raw("SELECT count(*) AS n FROM t");
  CHECK(n[0]["n"].as<int>() == 3);
  CHECK(n.at(0, "n") == Value{"3"});
  CHECK(knex.sent.size() == 5);
}

TEST_CASE("typed values are bound in PostgreSQL's text format") {
  using namespace std::chrono;
  CHECK(to_param(nlohmann::json{{"a", 1}}) == Param{R"({"a":1})"});
  const system_clock::time_point at = sys_days{year{2024} / 2 / 29} + hours{13} + minutes{4} + seconds{5} + microseconds{6};
  CHECK(to_param(at) == Param{"2024-02-29 13:04:05.000006+00"});
  CHECK(to_param(system_clock::time_point{} - microseconds{1}) == Param{"1969-12-31 23:59:59.999999+00"});
  const auto id = Uuid::parse("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11");
  CHECK(to_param(id) == Param{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"});
  CHECK(to_param(std::optional<Uuid>{}) == Param{});
  CHECK(to_param(2.5) == Param{"2.5"});
  CHECK(to_param(true) == Param{"true"});
  RecordingKnex knex;
  knex("t").insert({{"doc", nlohmann::json::array({1, 2})}, {"at", at}, {"id", id}, {"none", nullptr}});
  CHECK(knex.sent.at(0).bindings ==
        std::vector<Param>{Param{"2024-02-29 13:04:05.000006+00"}, Param{"[1,2]"}, Param{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}, Param{}});
}

TEST_CASE("typed values are read back from PostgreSQL's text format") {
  using namespace std::chrono;
  const Result rows(
      {"i", "d", "b", "j", "t", "tz", "u", "n"},
      {{Value{"-42"}, Value{"2.25"}, Value{"t"}, Value{R"({"k": [1, "x"]})"}, Value{"2024-02-29 13:04:05.5"},
        Value{"2024-02-29 15:04:05.000006+02"}, Value{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}, Value{}}},
      0);
  const auto row = rows[0];
  CHECK(row["i"].as<int>() == -42);
  CHECK(row["i"].as<long long>() == -42);
  CHECK(row["d"].as<double>() == 2.25);
  CHECK(row["b"].as<bool>());
  CHECK(row["j"].as<nlohmann::json>()["k"][1] == "x");
  const system_clock::time_point day = sys_days{year{2024} / 2 / 29};
  CHECK(row["t"].as<system_clock::time_point>() == day + hours{13} + minutes{4} + seconds{5} + milliseconds{500});
  CHECK(row["tz"].as<system_clock::time_point>() == day + hours{13} + minutes{4} + seconds{5} + microseconds{6});
  CHECK(row["u"].as<Uuid>() == Uuid::parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
  CHECK(row["n"].is_null());
  CHECK(row["n"].as<std::optional<int>>() == std::nullopt);
  CHECK(row["i"].as<std::optional<int>>() == -42);
  CHECK(row["i"].text() == Value{"-42"});
  CHECK_THROWS_AS(row["n"].as<int>(), std::invalid_argument);
  CHECK_THROWS_AS(row["d"].as<int>(), std::invalid_argument);
  CHECK_THROWS_AS(row["i"].as<std::uint8_t>(), std::invalid_argument);
  CHECK_THROWS_AS(row["nope"], std::out_of_range);
  CHECK_THROWS_AS(Uuid::parse("a0eebc99-9c0b"), std::invalid_argument);
}

TEST_CASE("Uuid::v4 gives random version 4 uuids") {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const auto id = Uuid::v4();
    const auto text = id.str();
    CHECK(text.size() == 36);
    CHECK(text[14] == '4');
    CHECK(std::string("89ab").find(text[19]) != std::string::npos);
    CHECK(Uuid::parse(text) == id);
    seen.insert(text);
  }
  CHECK(seen.size() == 100);
}

TEST_CASE("the statements of a SQL file run one by one through knex.raw, up to the null pointer") {
  RecordingKnex knex;
  static const char* const statements[] = {"DROP TABLE a", "DROP TABLE b", nullptr};
  run_sql_statements(knex, statements);
  CHECK(knex.sql() == std::vector<std::string>{"DROP TABLE a", "DROP TABLE b"});
  static const char* const none[] = {nullptr};
  run_sql_statements(knex, none);
  CHECK(knex.sql().size() == 2);
}
