// Batch planning: which migrations each command applies or reverts, and in which batch.
#include "core/error.hpp"
#include "core/plan.hpp"

#include <catch2/catch.hpp>

using namespace sonamu;

namespace {

AppliedMigration row(std::int64_t id, const std::string& name, int batch) {
  const auto dot = name.rfind('.');
  return {id, name, dot == std::string::npos ? name : name.substr(0, dot), batch, ""};
}

std::vector<std::string> names_of(const RollbackPlan& plan) {
  std::vector<std::string> names;
  for (const auto& m : plan.migrations) names.push_back(m.name);
  return names;
}

const std::vector<std::string> known = {"20250101000000_a", "20250101000001_b", "20250101000002_c",
                                        "20250101000003_d"};

}  // namespace

TEST_CASE("run on an empty table applies everything as batch 1") {
  const auto plan = plan_run(known, {});
  CHECK(plan.batch == 1);
  CHECK(plan.stems == known);
}

TEST_CASE("run applies only pending migrations, as max(batch) + 1") {
  const std::vector<AppliedMigration> applied = {row(1, "20250101000000_a.ts", 1),
                                                 row(2, "20250101000001_b.cpp", 3)};
  const auto plan = plan_run(known, applied);
  CHECK(plan.batch == 4);
  CHECK(plan.stems == std::vector<std::string>{"20250101000002_c", "20250101000003_d"});
}

TEST_CASE("run includes a pending migration older than the applied ones, in name order") {
  const auto plan = plan_run(known, {row(1, "20250101000001_b.ts", 1)});
  CHECK(plan.stems ==
        std::vector<std::string>{"20250101000000_a", "20250101000002_c", "20250101000003_d"});
}

TEST_CASE("run with nothing pending plans nothing") {
  std::vector<AppliedMigration> applied;
  for (std::size_t i = 0; i < known.size(); ++i) applied.push_back(row(i + 1, known[i], 1));
  CHECK(plan_run(known, applied).stems.empty());
}

TEST_CASE("run --to stops after the named migration, with or without extension") {
  CHECK(plan_run(known, {}, std::string("20250101000001_b")).stems ==
        std::vector<std::string>{"20250101000000_a", "20250101000001_b"});
  CHECK(plan_run(known, {}, std::string("20250101000001_b.ts")).stems ==
        std::vector<std::string>{"20250101000000_a", "20250101000001_b"});
}

TEST_CASE("run --to rejects unknown and already applied targets") {
  try {
    plan_run(known, {}, std::string("20990101000000_nope"));
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::usage);
    CHECK(std::string(e.what()).find("Unknown migration") != std::string::npos);
  }
  try {
    plan_run(known, {row(1, "20250101000000_a.cpp", 1)}, std::string("20250101000000_a"));
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::usage);
    CHECK(std::string(e.what()).find("already applied") != std::string::npos);
  }
}

TEST_CASE("up applies exactly the first pending migration as a new batch") {
  const auto plan = plan_up(known, {row(7, "20250101000000_a.ts", 2)});
  CHECK(plan.batch == 3);
  CHECK(plan.stems == std::vector<std::string>{"20250101000001_b"});
  std::vector<AppliedMigration> all;
  for (std::size_t i = 0; i < known.size(); ++i) all.push_back(row(i + 1, known[i], 1));
  CHECK(plan_up(known, all).stems.empty());
}

TEST_CASE("rollback takes every migration of the latest batch, highest id first") {
  const std::vector<AppliedMigration> applied = {
      row(1, "20250101000000_a.ts", 1), row(2, "20250101000001_b.ts", 1),
      row(3, "20250101000002_c.ts", 2), row(4, "20250101000003_d.ts", 2)};
  const auto plan = plan_rollback(applied);
  CHECK(plan.batch == 2);
  CHECK(names_of(plan) == std::vector<std::string>{"20250101000003_d.ts", "20250101000002_c.ts"});
}

TEST_CASE("rollback orders by id, not by name") {
  // Migrations applied out of name order are reverted in the reverse of the order they ran.
  const std::vector<AppliedMigration> applied = {row(10, "20250101000002_c", 5),
                                                 row(11, "20250101000000_a", 5)};
  CHECK(names_of(plan_rollback(applied)) ==
        std::vector<std::string>{"20250101000000_a", "20250101000002_c"});
}

TEST_CASE("rollback of an empty table plans nothing") {
  CHECK(plan_rollback({}).migrations.empty());
  CHECK(plan_down({}).migrations.empty());
  CHECK(plan_rollback_all({}).empty());
}

TEST_CASE("rollback --all plans batch after batch from the newest") {
  const std::vector<AppliedMigration> applied = {
      row(1, "20250101000000_a", 1), row(2, "20250101000001_b", 1), row(3, "20250101000002_c", 2),
      row(4, "20250101000003_d", 3)};
  const auto plans = plan_rollback_all(applied);
  REQUIRE(plans.size() == 3);
  CHECK(plans[0].batch == 3);
  CHECK(plans[1].batch == 2);
  CHECK(plans[2].batch == 1);
  CHECK(names_of(plans[2]) == std::vector<std::string>{"20250101000001_b", "20250101000000_a"});
}

TEST_CASE("down takes the single migration with the highest id") {
  const std::vector<AppliedMigration> applied = {row(1, "20250101000000_a", 1),
                                                 row(5, "20250101000001_b", 1),
                                                 row(3, "20250101000002_c", 2)};
  const auto plan = plan_down(applied);
  CHECK(plan.batch == 1);
  CHECK(names_of(plan) == std::vector<std::string>{"20250101000001_b"});
}

TEST_CASE("recorded rows match compiled migrations by stem, whatever the extension") {
  const std::vector<AppliedMigration> applied = {row(1, "20250101000000_a.ts", 1),
                                                 row(2, "20250101000001_b.js", 1),
                                                 row(3, "20250101000009_gone.ts", 2)};
  CHECK(recorded_but_unknown(known, applied) == std::vector<std::string>{"20250101000009_gone.ts"});
  CHECK(pending(known, applied) == std::vector<std::string>{"20250101000002_c", "20250101000003_d"});
}

TEST_CASE("status groups by batch ascending, each batch in id order") {
  const std::vector<AppliedMigration> applied = {row(4, "20250101000003_d", 2),
                                                 row(2, "20250101000001_b", 1),
                                                 row(1, "20250101000000_a", 1)};
  const auto groups = group_by_batch(applied);
  REQUIRE(groups.size() == 2);
  CHECK(groups[0].batch == 1);
  REQUIRE(groups[0].migrations.size() == 2);
  CHECK(groups[0].migrations[0].id == 1);
  CHECK(groups[0].migrations[1].id == 2);
  CHECK(groups[1].batch == 2);
}

TEST_CASE("rollback --to reverts everything applied after the named migration, across batches") {
  const std::vector<AppliedMigration> applied = {
      row(1, "20250101000000_a.ts", 1), row(2, "20250101000001_b.ts", 1),
      row(3, "20250101000002_c.cpp", 2), row(4, "20250101000003_d.cpp", 3)};
  const auto plan = plan_rollback_to(applied, "20250101000001_b");
  CHECK(plan.batch == 0);
  CHECK(names_of(plan) == std::vector<std::string>{"20250101000003_d.cpp", "20250101000002_c.cpp"});
  CHECK(plan_rollback_to(applied, "20250101000002_c.cpp").batch == 3);
  CHECK(plan_rollback_to(applied, "20250101000003_d").migrations.empty());
  CHECK_THROWS_AS(plan_rollback_to(applied, "20990101000000_x"), Error);
}

TEST_CASE("rollback --step takes the last N migrations by id") {
  const std::vector<AppliedMigration> applied = {
      row(1, "20250101000000_a", 1), row(2, "20250101000001_b", 1), row(3, "20250101000002_c", 2)};
  CHECK(names_of(plan_rollback_steps(applied, 2)) == std::vector<std::string>{"20250101000002_c", "20250101000001_b"});
  CHECK(plan_rollback_steps(applied, 2).batch == 0);
  CHECK(plan_rollback_steps(applied, 1).batch == 2);
  CHECK(plan_rollback_steps(applied, 10).migrations.size() == 3);
  CHECK_THROWS_AS(plan_rollback_steps(applied, 0), Error);
}
