// Each server's share of a fleet's targets: lowered when the server turns a connection away.
#include "cli/fleet_gate.hpp"

#include <catch2/catch.hpp>

using namespace sonamu::cli;

TEST_CASE("a server that turns a connection away gets as many targets as it already holds, at least one") {
  FleetGates gates(8);
  for (int i = 0; i < 5; ++i) REQUIRE(gates.enter("a:5432"));
  CHECK(gates.throttles().empty());
  gates.turned_away("a:5432", "sorry, too many clients already");  // the other 4 are connected
  auto throttles = gates.throttles();
  REQUIRE(throttles.size() == 1);
  CHECK(throttles[0].server == "a:5432");
  CHECK(throttles[0].parallel == 4);
  CHECK(throttles[0].reason == "sorry, too many clients already");

  // Another server of the same fleet keeps the whole --parallel.
  for (int i = 0; i < 8; ++i) REQUIRE(gates.enter("b:5432"));
  CHECK(gates.throttles().size() == 1);

  // Never raised again; with no other target connected there, one at a time.
  for (int i = 0; i < 4; ++i) gates.leave("a:5432");
  REQUIRE(gates.enter("a:5432"));
  gates.turned_away("a:5432", "the database system is starting up");
  throttles = gates.throttles();
  CHECK(throttles[0].parallel == 1);
  CHECK(throttles[0].reason == "the database system is starting up");
  REQUIRE(gates.enter("a:5432"));
}
