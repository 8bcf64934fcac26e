// Values become bound parameters in PostgreSQL's text format.
#include <sonamu/knex.hpp>

#include <catch2/catch.hpp>

using namespace sonamu;

TEST_CASE("values convert to text parameters without loss") {
  CHECK(to_param(42) == Param{"42"});
  CHECK(to_param(-7LL) == Param{"-7"});
  CHECK(to_param(0.1) == Param{"0.1"});
  CHECK(to_param(true) == Param{"true"});
  CHECK(to_param(false) == Param{"false"});
  CHECK(to_param("it's; --") == Param{"it's; --"});
  CHECK(to_param(std::string("유니코드")) == Param{"유니코드"});
  CHECK(to_param(nullptr) == Param{});
  CHECK(to_param(static_cast<const char*>(nullptr)) == Param{});
  CHECK(to_param(std::optional<int>{}) == Param{});
  CHECK(to_param(std::optional<int>{5}) == Param{"5"});
}

namespace {
/// Records what `raw` hands to the database layer.
class RecordingKnex : public Knex {
 public:
  std::string sql;
  std::vector<Param> params;

 protected:
  Result execute(const std::string& s, const std::vector<Param>& p) override {
    sql = s;
    params = p;
    return {};
  }
};
}  // namespace

TEST_CASE("raw passes the SQL text untouched and the values as separate parameters") {
  RecordingKnex knex;
  knex.raw("UPDATE \"users\" SET \"name\" = $1 WHERE \"id\" = $2", "O'Brien", 3);
  CHECK(knex.sql == "UPDATE \"users\" SET \"name\" = $1 WHERE \"id\" = $2");
  CHECK(knex.params == std::vector<Param>{Param{"O'Brien"}, Param{"3"}});
  knex.raw("SELECT $1::int", std::vector<Param>{Param{"1"}});
  CHECK(knex.params == std::vector<Param>{Param{"1"}});
}
