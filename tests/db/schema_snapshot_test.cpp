// The snapshot of the live schema against a real PostgreSQL: the same schema gives the same
// bytes whatever the order it was made in, the OIDs or a pg_dump and restore in between;
// extensions' members and the bookkeeping tables stay out.
#include "../support/process.hpp"
#include "../support/test_database.hpp"
#include "core/schema_snapshot.hpp"
#include "pg/schema_catalog_reader.hpp"
#include "pg/store.hpp"
#include "pg/transaction.hpp"

#include <catch2/catch.hpp>

#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include <set>

using namespace sonamu;
using sonamu::test::TestDatabase;

namespace {

/// Every kind of object the snapshot reads, made the plain way: constraints inline, each
/// partition made as one. A foreign key to a partitioned table and a trigger on one have
/// copies on the partitions, made by the server, under the same names.
const std::vector<std::string> schema_in_order = {
    "CREATE SCHEMA app",
    "COMMENT ON SCHEMA app IS 'the application'",
    "GRANT USAGE ON SCHEMA app TO PUBLIC",
    "CREATE EXTENSION pgcrypto",
    "CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy')",
    "CREATE TYPE app.pair AS (x integer, y text)",
    "CREATE DOMAIN app.positive AS integer DEFAULT 1 NOT NULL CONSTRAINT positive_check CHECK (VALUE > 0)",
    "CREATE SEQUENCE app.tickets START 100 INCREMENT 5 CACHE 10",
    "CREATE TABLE app.users (id serial PRIMARY KEY, email text COLLATE \"C\" NOT NULL UNIQUE, "
    "mood app.mood DEFAULT 'ok', score app.positive, code bigint GENERATED ALWAYS AS IDENTITY, "
    "doubled integer GENERATED ALWAYS AS (id * 2) STORED)",
    "CREATE TABLE app.posts (id integer PRIMARY KEY, user_id integer REFERENCES app.users (id) ON DELETE CASCADE, "
    "title text CHECK (title <> ''), dropped_later text, body text)",
    "ALTER TABLE app.posts DROP COLUMN dropped_later",
    "CREATE INDEX posts_title_idx ON app.posts (lower(title)) WHERE title IS NOT NULL",
    "CREATE TABLE app.events (id integer, at date NOT NULL) PARTITION BY RANGE (at)",
    "CREATE TABLE app.events_2024 PARTITION OF app.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
    "CREATE TABLE app.events_2025 PARTITION OF app.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
    "CREATE INDEX events_at_idx ON app.events (at)",
    "ALTER TABLE app.events ADD CONSTRAINT events_pkey PRIMARY KEY (id, at)",
    "CREATE TABLE app.event_refs (id integer, at date, FOREIGN KEY (id, at) REFERENCES app.events)",
    "CREATE FUNCTION app.keep() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$",
    "CREATE TRIGGER events_keep BEFORE INSERT ON app.events FOR EACH ROW EXECUTE FUNCTION app.keep()",
    "CREATE VIEW app.active_users AS SELECT id, email FROM app.users WHERE mood <> 'sad'",
    "CREATE MATERIALIZED VIEW app.post_counts AS SELECT user_id, count(*) AS posts FROM app.posts GROUP BY user_id",
    "CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.title := trim(NEW.title); "
    "RETURN NEW; END$$",
    "CREATE PROCEDURE app.archive(before date) LANGUAGE sql AS $$DELETE FROM app.events WHERE at < before$$",
    "CREATE FUNCTION app.add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT a + b'",
    "CREATE FUNCTION app.add(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT a || b'",
    "CREATE TRIGGER posts_touch BEFORE INSERT OR UPDATE ON app.posts FOR EACH ROW EXECUTE FUNCTION app.touch()",
    "ALTER TABLE app.posts ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY own_posts ON app.posts FOR SELECT TO PUBLIC USING (user_id > 0)",
    "GRANT SELECT, INSERT ON app.posts TO PUBLIC",
    "GRANT SELECT ON app.active_users TO PUBLIC",
    "GRANT UPDATE (email, mood) ON app.users TO PUBLIC",
    "COMMENT ON COLUMN app.active_users.email IS 'shown'",
    "COMMENT ON TABLE app.users IS 'people'",
    "COMMENT ON COLUMN app.users.email IS 'their address'",
    "COMMENT ON INDEX app.posts_title_idx IS 'search'",
    "COMMENT ON FUNCTION app.add(integer, integer) IS 'sum'",
    "CREATE TABLE public.notes (id integer)",
};

/// The same schema made in another order and by other statements (constraints, defaults and
/// the enum's middle value added afterwards, a partition attached), after objects that were
/// dropped again, so that every OID differs.
const std::vector<std::string> schema_in_another_order = {
    "CREATE TABLE public.scratch (a integer, b text)",
    "CREATE TYPE public.scratch_type AS ENUM ('x')",
    "DROP TABLE public.scratch",
    "DROP TYPE public.scratch_type",
    "CREATE TABLE public.notes (id integer)",
    "CREATE EXTENSION pgcrypto",
    "CREATE SCHEMA app",
    "CREATE FUNCTION app.add(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT a || b'",
    "CREATE FUNCTION app.add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT a + b'",
    "CREATE TYPE app.mood AS ENUM ('sad', 'happy')",
    "ALTER TYPE app.mood ADD VALUE 'ok' BEFORE 'happy'",
    "CREATE TYPE app.pair AS (x integer, y text)",
    "CREATE DOMAIN app.positive AS integer",
    "ALTER DOMAIN app.positive SET DEFAULT 1",
    "ALTER DOMAIN app.positive SET NOT NULL",
    "ALTER DOMAIN app.positive ADD CONSTRAINT positive_check CHECK (VALUE > 0)",
    "CREATE TABLE app.events (id integer, at date NOT NULL) PARTITION BY RANGE (at)",
    "CREATE TABLE app.events_2025 PARTITION OF app.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
    "CREATE INDEX events_at_idx ON app.events (at)",
    "CREATE FUNCTION app.keep() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$",
    "CREATE TRIGGER events_keep BEFORE INSERT ON app.events FOR EACH ROW EXECUTE FUNCTION app.keep()",
    "ALTER TABLE app.events ADD CONSTRAINT events_pkey PRIMARY KEY (id, at)",
    "CREATE TABLE app.event_refs (id integer, at date)",
    "ALTER TABLE app.event_refs ADD CONSTRAINT event_refs_id_at_fkey FOREIGN KEY (id, at) REFERENCES app.events",
    "CREATE TABLE app.events_2024 (id integer NOT NULL, at date NOT NULL)",
    "ALTER TABLE app.events ATTACH PARTITION app.events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
    "CREATE SEQUENCE app.tickets START 100 INCREMENT 5 CACHE 10",
    "CREATE TABLE app.users (id serial, email text COLLATE \"C\" NOT NULL, mood app.mood, score app.positive, "
    "code bigint GENERATED ALWAYS AS IDENTITY, doubled integer GENERATED ALWAYS AS (id * 2) STORED)",
    "ALTER TABLE app.users ADD CONSTRAINT users_pkey PRIMARY KEY (id)",
    "ALTER TABLE app.users ADD CONSTRAINT users_email_key UNIQUE (email)",
    "ALTER TABLE app.users ALTER COLUMN mood SET DEFAULT 'ok'",
    "COMMENT ON COLUMN app.users.email IS 'their address'",
    "COMMENT ON TABLE app.users IS 'people'",
    "CREATE TABLE app.posts (id integer, user_id integer, title text, body text)",
    "ALTER TABLE app.posts ADD CONSTRAINT posts_pkey PRIMARY KEY (id)",
    "ALTER TABLE app.posts ADD CONSTRAINT posts_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users (id) "
    "ON DELETE CASCADE",
    "ALTER TABLE app.posts ADD CONSTRAINT posts_title_check CHECK (title <> '')",
    "CREATE POLICY own_posts ON app.posts FOR SELECT TO PUBLIC USING (user_id > 0)",
    "ALTER TABLE app.posts ENABLE ROW LEVEL SECURITY",
    "GRANT INSERT ON app.posts TO PUBLIC",
    "GRANT SELECT ON app.posts TO PUBLIC",
    "CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.title := trim(NEW.title); "
    "RETURN NEW; END$$",
    "CREATE TRIGGER posts_touch BEFORE INSERT OR UPDATE ON app.posts FOR EACH ROW EXECUTE FUNCTION app.touch()",
    "CREATE INDEX posts_title_idx ON app.posts (lower(title)) WHERE title IS NOT NULL",
    "COMMENT ON INDEX app.posts_title_idx IS 'search'",
    "CREATE MATERIALIZED VIEW app.post_counts AS SELECT user_id, count(*) AS posts FROM app.posts GROUP BY user_id",
    "CREATE VIEW app.active_users AS SELECT id, email FROM app.users WHERE mood <> 'sad'",
    "GRANT SELECT ON app.active_users TO PUBLIC",
    "COMMENT ON COLUMN app.active_users.email IS 'shown'",
    "GRANT UPDATE (mood) ON app.users TO PUBLIC",
    "GRANT UPDATE (email) ON app.users TO PUBLIC",
    "CREATE PROCEDURE app.archive(before date) LANGUAGE sql AS $$DELETE FROM app.events WHERE at < before$$",
    "COMMENT ON FUNCTION app.add(integer, integer) IS 'sum'",
    "GRANT USAGE ON SCHEMA app TO PUBLIC",
    "COMMENT ON SCHEMA app IS 'the application'",
};

/// Each statement committed on its own (an enum value added is usable only once committed).
void run_each(const TestDatabase& db, const std::vector<std::string>& statements) {
  auto cx = db.connect();
  pqxx::nontransaction tx(*cx);
  for (const auto& statement : statements) tx.exec(statement);
}

SchemaSnapshot snapshot_of(const TestDatabase& db, const TableLocation& bookkeeping = {}) {
  auto cx = db.connect();
  pqxx::read_transaction tx(*cx);
  return pg::read_schema_snapshot(tx, bookkeeping);
}

std::set<std::string> kinds_of(const SchemaSnapshot& snapshot) {
  std::set<std::string> kinds;
  for (const auto& object : snapshot.objects) kinds.insert(object.kind);
  return kinds;
}

bool has(const SchemaSnapshot& snapshot, const std::string& kind, const std::string& name) {
  for (const auto& object : snapshot.objects) {
    if (object.kind == kind && object.name == name) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("every kind of object, made in two orders in two databases, gives the same bytes and fingerprint") {
  TestDatabase first;
  TestDatabase second;
  run_each(first, schema_in_order);
  run_each(second, schema_in_another_order);
  const auto a = snapshot_of(first);
  const auto b = snapshot_of(second);
  CHECK(kinds_of(a) == std::set<std::string>{"column", "comment", "constraint", "domain", "extension", "function",
                                             "grant", "index", "materialized_view", "policy", "procedure", "schema",
                                             "sequence", "table", "trigger", "type", "view"});
  CHECK(schema_objects_text(a) == schema_objects_text(b));
  CHECK(schema_fingerprint(a) == schema_fingerprint(b));
  // The server's copies on partitions are left out; the partitions' own objects are listed.
  CHECK(has(a, "constraint", "event_refs.event_refs_id_at_fkey"));
  CHECK(has(a, "trigger", "events.events_keep"));
  CHECK_FALSE(has(a, "trigger", "events_2024.events_keep"));
  CHECK(has(a, "constraint", "events_2024.events_2024_pkey"));
  CHECK(has(a, "grant", "column users.email"));
  CHECK(has(a, "comment", "column active_users.email"));
  // The column dropped in the first database leaves no trace; the order of the others is kept.
  CHECK(has(a, "table", "posts"));
  for (const auto& object : a.objects) {
    if (object.kind == "table" && object.schema == "app" && object.name == "posts") {
      CHECK(object.definition == "TABLE (id, user_id, title, body)\nROW LEVEL SECURITY");
    }
    if (object.kind == "type" && object.name == "mood") CHECK(object.definition == "ENUM ('sad', 'ok', 'happy')");
  }
}

TEST_CASE("a database restored from pg_dump --schema-only of another has the same snapshot") {
  TestDatabase original;
  TestDatabase restored;
  run_each(original, schema_in_order);
  const auto result = test::run_process(
      {{"/bin/bash", "-c", "set -o pipefail; pg_dump --schema-only -d \"$1\" | psql -X -q -v ON_ERROR_STOP=1 -d \"$2\"",
        "bash", original.name(), restored.name()},
       "",
       {}});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  const auto before = snapshot_of(original);
  const auto after = snapshot_of(restored);
  CHECK(schema_objects_text(after) == schema_objects_text(before));
  CHECK(diff_schemas(before, after).empty());
}

TEST_CASE("members of extensions and the bookkeeping tables, at their configured place, are left out") {
  TestDatabase db;
  run_each(db, {"CREATE EXTENSION pgcrypto", "CREATE SCHEMA book", "CREATE TABLE public.kept (id serial PRIMARY KEY)"});
  const TableLocation location{"book", "deploys"};
  {
    auto cx = db.connect();
    pg::Store store(*cx, location);
    pg::PostgresTransaction tx(*cx, TransactionKind::read_write);
    store.ensure_tables(tx, store.inspect(tx));
    tx.commit();
  }
  REQUIRE(db.has_table("deploys_sources", "book"));
  const auto snapshot = snapshot_of(db, location);
  CHECK(has(snapshot, "extension", "pgcrypto"));
  CHECK(has(snapshot, "schema", "book"));
  CHECK(has(snapshot, "table", "kept"));
  CHECK(has(snapshot, "sequence", "kept_id_seq"));
  for (const auto& object : snapshot.objects) {
    INFO(schema_object_label(object));
    if (object.kind != "schema") CHECK(object.schema != "book");
    CHECK(object.name.find("digest") == std::string::npos);
  }
  // Read with the default place, the same tables are the user's: the filter is what hid them.
  const auto unfiltered = snapshot_of(db);
  CHECK(has(unfiltered, "table", "deploys"));
  CHECK(has(unfiltered, "table", "deploys_lock"));
  CHECK(has(unfiltered, "table", "deploys_history"));
  CHECK(has(unfiltered, "table", "deploys_sources"));
  CHECK(has(unfiltered, "sequence", "deploys_id_seq"));
}
