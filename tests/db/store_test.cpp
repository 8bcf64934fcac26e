// The bookkeeping store against a real PostgreSQL.
#include "../support/test_database.hpp"
#include "../support/wait_until.hpp"
#include "pg/advisory_lock.hpp"
#include "pg/store.hpp"
#include "pg/transaction.hpp"
#include "core/error.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include <future>

using namespace sonamu;
using namespace sonamu::pg;
using sonamu::test::TestDatabase;

TEST_CASE("ensure_tables is idempotent and keeps a single lock row") {
  TestDatabase db;
  auto cx = db.connect();
  Store store(*cx, {});
  for (int i = 0; i < 3; ++i) {
    PostgresTransaction tx(*cx, TransactionKind::read_write);
    // Only the first call creates the migrations table, which then holds no record.
    CHECK(store.ensure_tables(tx, store.inspect(tx)) == (i == 0));
    tx.commit();
  }
  CHECK(db.scalar("SELECT count(*) || ':' || max(is_locked) FROM knex_migrations_lock") == "1:0");
}

namespace {

/// knex's DDL of its migrations table, as its migrator runs it on a new database.
constexpr const char* knex_creates_migrations =
    R"(create table "knex_migrations" ("id" serial primary key, "name" varchar(255), "batch" integer, )"
    R"("migration_time" timestamptz))";

/// "t" for each bookkeeping table that exists, "f" for each that does not, and the lock rows.
std::string bookkeeping(const TestDatabase& db) {
  return db.scalar(
      "SELECT concat_ws(' ', to_regclass('knex_migrations') IS NOT NULL, to_regclass('knex_migrations_lock') IS NOT "
      "NULL, to_regclass('knex_migrations_history') IS NOT NULL, to_regclass('knex_migrations_sources') IS NOT "
      "NULL, (SELECT count(*) || ':' || max(is_locked) FROM knex_migrations_lock))");
}

}  // namespace

TEST_CASE("ensure_tables beside a creator still in its transaction: waits for it, then uses its table") {
  TestDatabase db;
  auto knex = db.connect();
  pqxx::work creating(*knex);
  creating.exec(knex_creates_migrations);
  auto cx = db.connect();
  Store store(*cx, {});
  PostgresTransaction tx(*cx, TransactionKind::read_write);
  const TablesState before = store.inspect(tx);
  REQUIRE_FALSE(before.migrations_table_exists);
  const std::string pid = std::to_string(cx->backendpid());
  auto creation = std::async(std::launch::async, [&] { return store.ensure_tables(tx, before); });
  // Its CREATE TABLE waits for the other creator's transaction, whose outcome decides.
  sonamu::test::wait_until("ensure_tables waiting for the other creator", [&] {
    return db.scalar("SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'", pid) == "1";
  });
  creating.commit();
  REQUIRE(creation.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
  CHECK_FALSE(creation.get());  // the other creator's table: its records are to be read
  tx.commit();
  CHECK(bookkeeping(db) == "t t t t 1:0");
  CHECK(db.scalar("SELECT count(*) FROM knex_migrations") == "0");
}

TEST_CASE("ensure_tables after a creator committed since the tables were inspected: uses its table") {
  TestDatabase db;
  auto cx = db.connect();
  Store store(*cx, {});
  PostgresTransaction tx(*cx, TransactionKind::read_write);
  const TablesState before = store.inspect(tx);
  REQUIRE_FALSE(before.migrations_table_exists);
  db.query(knex_creates_migrations);
  db.query(R"(INSERT INTO "knex_migrations" ("name", "batch") VALUES ('20240101000000_a.js', 1))");
  CHECK_FALSE(store.ensure_tables(tx, before));  // not this transaction's own: read it
  // The transaction goes on, and sees the other creator's rows.
  CHECK(store.read_applied(tx).size() == 1);
  tx.commit();
  CHECK(bookkeeping(db) == "t t t t 1:0");
}

TEST_CASE("record, read and erase round-trip names with quotes, commas and unicode") {
  TestDatabase db;
  auto cx = db.connect();
  Store store(*cx, {});
  const std::vector<std::string> names = {"20250101000000_a\"b.cpp", "20250101000001_c,d'e.ts",
                                          "20250101000002_유니코드\\x.cpp"};
  const auto now = std::chrono::system_clock::now();
  {
    PostgresTransaction tx(*cx, TransactionKind::read_write);
    store.ensure_tables(tx, store.inspect(tx));
    store.record(tx, names, 7, {now, now, now});
    tx.commit();
  }
  PostgresTransaction tx(*cx, TransactionKind::read_write);
  const auto applied = store.read_applied(tx);
  REQUIRE(applied.size() == 3);
  for (std::size_t i = 0; i < names.size(); ++i) {
    CHECK(applied[i].name == names[i]);
    CHECK(applied[i].batch == 7);
  }
  CHECK(applied[0].id < applied[1].id);
  CHECK(applied[1].id < applied[2].id);
  CHECK(applied[0].stem == "20250101000000_a\"b");
  store.erase(tx, {applied[0].id, applied[2].id});
  const auto left = store.read_applied(tx);
  REQUIRE(left.size() == 1);
  CHECK(left[0].name == names[1]);
}

TEST_CASE("migration times are stored as the UTC instants given") {
  TestDatabase db;
  auto cx = db.connect();
  Store store(*cx, {});
  PostgresTransaction tx(*cx, TransactionKind::read_write);
  store.ensure_tables(tx, store.inspect(tx));
  const std::chrono::system_clock::time_point instant{std::chrono::seconds(1766241022)};
  store.record(tx, {"20251220143022_x.cpp"}, 1, {instant});
  CHECK(tx.native().exec("SELECT extract(epoch FROM migration_time)::bigint FROM knex_migrations")[0][0]
            .as<long long>() == 1766241022);
}

TEST_CASE("the table lock flag refuses a second holder, as knex's does") {
  TestDatabase db;
  auto cx = db.connect();
  Store store(*cx, {});
  {
    PostgresTransaction tx(*cx, TransactionKind::read_write);
    store.ensure_tables(tx, store.inspect(tx));
    tx.commit();
  }
  db.query("UPDATE knex_migrations_lock SET is_locked = 1");
  PostgresTransaction tx(*cx, TransactionKind::read_write);
  try {
    store.set_table_lock(tx, std::chrono::milliseconds(1000));
    FAIL("expected the lock to be refused");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::locked);
    CHECK_THAT(e.what(), Catch::Contains("already locked"));
  }
}

TEST_CASE("the advisory lock excludes a second session and names the holder") {
  TestDatabase db;
  auto first = db.connect();
  auto second = db.connect();
  Store store_one(*first, {});
  Store store_two(*second, {});
  // What a waiting command's status line is told: the holder, then the end of the wait.
  std::vector<std::optional<MigrationLockWait>> told;
  const MigrationLockObserver observer = [&](const std::optional<MigrationLockWait>& wait) { told.push_back(wait); };
  {
    AdvisoryLock held(*first, store_one, std::chrono::milliseconds(1000), nullptr);
    try {
      AdvisoryLock waiting(*second, store_two, std::chrono::milliseconds(200), observer);
      FAIL("expected a timeout");
    } catch (const Error& e) {
      CHECK(e.code() == ExitCode::locked);
      CHECK_THAT(e.what(), Catch::Contains("Timed out after 0.2s waiting for the migration lock "
                                           "on public.knex_migrations, held by pid "));
    }
  }
  REQUIRE(told.size() == 2);
  REQUIRE(told.front().has_value());
  REQUIRE(told.front()->holder.has_value());
  CHECK(told.front()->holder->pid == first->backendpid());
  CHECK_FALSE(told.back().has_value());
  // Released when the holder goes out of scope; taken at once, no wait is told.
  told.clear();
  AdvisoryLock now_free(*second, store_two, std::chrono::milliseconds(1000), observer);
  CHECK(told.empty());
  // A different table has its own lock.
  Store other(*first, {"public", "other_migrations"});
  AdvisoryLock independent(*first, other, std::chrono::milliseconds(0), nullptr);
}

TEST_CASE("a missing schema is an error, never created") {
  TestDatabase db;
  auto cx = db.connect();
  Store store(*cx, {"missing_schema", "knex_migrations"});
  PostgresTransaction tx(*cx, TransactionKind::read_write);
  CHECK_THROWS_AS(store.validate(store.inspect(tx)), Error);
}

TEST_CASE("source hashes: absent table reads empty, record replaces, erase deletes") {
  TestDatabase db;
  auto cx = db.connect();
  Store store(*cx, {});
  {
    // A database only knex has used: no sources table, nothing to read, nothing to erase.
    PostgresTransaction tx(*cx, TransactionKind::read_write);
    CHECK(store.read_source_hashes(tx).empty());
    store.erase_source_hashes(tx, {"20250101000000_a.cpp"});
    CHECK_FALSE(store.inspect(tx).sources_table_exists);
  }
  const std::string odd = "20250101000001_c,d'e\"f.cpp";
  {
    PostgresTransaction tx(*cx, TransactionKind::read_write);
    store.ensure_tables(tx, store.inspect(tx));
    store.record_source_hashes(tx, {{"20250101000000_a.cpp", "one"}, {odd, "two"}});
    store.record_source_hashes(tx, {{"20250101000000_a.cpp", "three"}});
    tx.commit();
  }
  PostgresTransaction tx(*cx, TransactionKind::read_write);
  CHECK(store.inspect(tx).sources_table_exists);
  CHECK(store.read_source_hashes(tx) ==
        std::map<std::string, std::string>{{"20250101000000_a.cpp", "three"}, {odd, "two"}});
  store.erase_source_hashes(tx, {odd});
  CHECK(store.read_source_hashes(tx) == std::map<std::string, std::string>{{"20250101000000_a.cpp", "three"}});
}

TEST_CASE("inspect finds the bookkeeping tables by their exact names, quotes and case included") {
  TestDatabase db;
  db.query(R"(CREATE SCHEMA "Ops ""x""")");
  // Look-alikes in another case: not the tables looked for.
  db.query(R"(CREATE TABLE "Ops ""x"""."Knex_migrations" (id serial))");
  db.query(R"(CREATE VIEW "Ops ""x"""."knex_migrations_LOCK" AS SELECT 1 AS one)");
  auto cx = db.connect();
  TableLocation location;
  location.schema = "Ops \"x\"";
  Store store(*cx, location);
  {
    PostgresTransaction tx(*cx, TransactionKind::read_write);
    const auto state = store.inspect(tx);
    CHECK(state.schema_exists);
    CHECK_FALSE(state.migrations_table_exists);
    CHECK_FALSE(state.lock_table_exists);
    CHECK(state.problems.empty());
    store.ensure_tables(tx, state);
    tx.commit();
  }
  PostgresTransaction tx(*cx, TransactionKind::read_write);
  const auto state = store.inspect(tx);
  CHECK(state.migrations_table_exists);
  CHECK(state.lock_table_exists);
  CHECK(state.history_table_exists);
  CHECK(state.sources_table_exists);
  CHECK(state.migrations_columns == std::vector<std::string>{"id", "name", "batch", "migration_time"});
  CHECK(state.lock_columns == std::vector<std::string>{"index", "is_locked"});
  CHECK(state.problems.empty());
  TableLocation upper = location;
  upper.schema = "OPS \"x\"";
  Store elsewhere(*cx, upper);
  CHECK_FALSE(elsewhere.inspect(tx).schema_exists);
}

// A few rows are written as a VALUES list and many as arrays (cheaper for each at its size):
// the rows read back must not tell which.
TEST_CASE("records, sources and history read back the same for a short batch and a long one") {
  for (const std::size_t count : {std::size_t{3}, std::size_t{40}}) {
    DYNAMIC_SECTION(count << " migrations") {
      TestDatabase db;
      auto cx = db.connect();
      Store store(*cx, {});
      const std::chrono::system_clock::time_point start{std::chrono::seconds(1766241022)};
      std::vector<std::string> names;
      std::vector<std::chrono::system_clock::time_point> times;
      std::vector<std::pair<std::string, std::string>> hashes;
      std::vector<HistoryEntry> history;
      // Durations of 1,499 µs, 1,500 µs and 2,500 µs in turn: rounded half away from zero, as
      // round() on the server does, they are 1, 2 and 3 ms.
      const std::vector<long long> micros = {1499, 1500, 2500};
      const std::vector<long long> millis = {1, 2, 3};
      for (std::size_t i = 0; i < count; ++i) {
        // Names out of alphabetical order: the order given is the order kept.
        names.push_back(fmt::format("2025010100{:04d}_\"{}\",'x'.cpp", count - i, i));
        times.push_back(start + std::chrono::seconds(i));
        hashes.emplace_back(names.back(), fmt::format("{:064d}", i));
        HistoryEntry entry;
        entry.action = i % 2 == 0 ? "run" : "rollback";
        entry.name = names.back();
        entry.batch = 4;
        entry.started = times.back();
        entry.finished = entry.started + std::chrono::microseconds(micros[i % 3]);
        entry.success = i % 2 == 0;
        entry.error = i % 2 == 0 ? "" : fmt::format("boom \"{}\", {{}}", i);
        history.push_back(entry);
      }
      {
        PostgresTransaction tx(*cx, TransactionKind::read_write);
        store.ensure_tables(tx, store.inspect(tx));
        store.record(tx, names, 4, times);
        store.record_source_hashes(tx, hashes);
        store.append_history(tx, history);
        tx.commit();
      }
      PostgresTransaction tx(*cx, TransactionKind::read_write);
      const auto applied = store.read_applied(tx);
      REQUIRE(applied.size() == count);
      for (std::size_t i = 0; i < count; ++i) {
        CHECK(applied[i].name == names[i]);
        CHECK(applied[i].batch == 4);
        if (i > 0) CHECK(applied[i - 1].id < applied[i].id);
      }
      CHECK(db.scalar("SELECT min(extract(epoch FROM migration_time))::bigint || ':' ||"
                      " max(extract(epoch FROM migration_time))::bigint FROM knex_migrations") ==
            fmt::format("1766241022:{}", 1766241022 + count - 1));
      const auto stored_hashes = store.read_source_hashes(tx);
      REQUIRE(stored_hashes.size() == count);
      for (const auto& [name, hash] : hashes) CHECK(stored_hashes.at(name) == hash);
      // Newest first.
      const auto read = store.read_history(tx, static_cast<int>(count) + 1);
      REQUIRE(read.size() == count);
      for (std::size_t i = 0; i < count; ++i) {
        const auto& row = read[count - 1 - i];
        CHECK(row.action == history[i].action);
        CHECK(row.name == names[i]);
        CHECK(row.batch == 4);
        CHECK(row.duration_ms == millis[i % 3]);
        CHECK(row.success == history[i].success);
        CHECK(row.error == history[i].error);
        CHECK(row.tool_version == SONAMU_VERSION);
      }
      // A success has no error at all, not an empty one.
      CHECK(db.scalar("SELECT count(*) FROM knex_migrations_history WHERE error IS NULL") ==
            std::to_string((count + 1) / 2));
    }
  }
}
