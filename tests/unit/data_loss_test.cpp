// What a rollback destroys, from two shapes of the catalog, and how the warning reads.
#include "core/data_loss.hpp"
#include "output/format.hpp"

#include <catch2/catch.hpp>

using namespace sonamu;

namespace {

std::vector<std::string> shown(const std::vector<Loss>& losses) {
  std::vector<std::string> lines;
  for (const auto& loss : losses) {
    lines.push_back(std::string(loss_kind_name(loss.kind)) + " " + loss.display +
                    (loss.kind == LossKind::type_change ? " " + loss.from_type + "->" + loss.to_type : ""));
  }
  return lines;
}

DataAtRisk risk(const std::string& display, LossKind kind, long long count, bool estimated = false) {
  DataAtRisk r;
  r.display = display;
  r.kind = kind;
  r.count = count;
  r.estimated = estimated;
  return r;
}

}  // namespace

TEST_CASE("the difference of two catalog shapes names dropped tables, dropped columns and type changes") {
  const SchemaShape before = {
      {10, "users", {{1, "id", "integer"}, {2, "email", "text"}, {3, "phone", "text"}, {4, "age", "integer"}}},
      {11, "posts", {{1, "id", "integer"}}},
      {12, "audit.log", {{1, "id", "integer"}}},
  };
  // posts dropped, audit.log dropped and re-created (a new oid: its rows are gone), phone
  // dropped, email renamed (same attnum: nothing lost), age changed to text.
  const SchemaShape after = {
      {10, "users", {{1, "id", "integer"}, {2, "mail", "text"}, {4, "age", "text"}}},
      {13, "audit.log", {{1, "id", "integer"}}},
  };
  CHECK(shown(losses_between(before, after)) ==
        std::vector<std::string>{"column users.phone", "type_change users.age integer->text", "table posts",
                                 "table audit.log"});
  CHECK(losses_between(before, before).empty());
  CHECK(losses_between({}, after).empty());  // what a down creates destroys nothing
}

TEST_CASE("the data-loss warning reads as docs/rollback-safety.md shows it") {
  CHECK(cli::thousands(12345) == "12,345");
  CHECK(cli::thousands(1234567) == "1,234,567");
  CHECK(cli::thousands(999) == "999");
  CHECK(cli::data_at_risk_line(risk("users.phone", LossKind::column, 12345)) ==
        "⚠ users.phone: 12,345 non-null values will be deleted");
  CHECK(cli::data_at_risk_line(risk("posts", LossKind::table, 1)) == "⚠ posts: 1 row will be deleted");
  CHECK(cli::data_at_risk_line(risk("posts", LossKind::table, 2), {false, false}) ==
        "[warning] posts: 2 rows will be deleted");
  CHECK(cli::data_at_risk_line(risk("events", LossKind::table, 12000000, true)) ==
        "⚠ events: ~12,000,000 rows will be deleted");
  auto changed = risk("users.age", LossKind::type_change, 1);
  changed.from_type = "character varying(255)";
  changed.to_type = "integer";
  CHECK(cli::data_at_risk_line(changed) ==
        "⚠ users.age: 1 value will not survive the change from character varying(255) to integer");
  changed.count = 3000000;
  changed.estimated = true;
  CHECK(cli::data_at_risk_line(changed) ==
        "⚠ users.age: ~3,000,000 values go through the change from character varying(255) to integer "
        "(not checked one by one on a table this large)");
  CHECK(cli::batch_line(Direction::down, 2, 1, true) == "Batch 2 would be rolled back: 1 migration");
  CHECK(cli::batch_line(Direction::up, 3, 2, true) == "Batch 3 would run: 2 migrations");
  CHECK(cli::batch_line(Direction::down, 0, 4) == "Rolled back: 4 migrations");
}
