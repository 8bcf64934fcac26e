// The schema snapshot as a value: its canonical order, its text read back exactly, its
// fingerprint, and the object-level difference of two snapshots.
#include "core/error.hpp"
#include "core/schema_snapshot.hpp"
#include "core/sha256.hpp"

#include <catch2/catch.hpp>

using namespace sonamu;

namespace {

SchemaObject object(std::string schema, std::string kind, std::string name, std::string definition) {
  return {std::move(schema), std::move(kind), std::move(name), std::move(definition)};
}

/// Objects whose names and definitions hold everything the text has to escape or keep.
std::vector<SchemaObject> awkward_objects() {
  return {
      object("public", "table", "users", "TABLE (id, email)"),
      object("public", "column", "users.email", "text NOT NULL"),
      object("my schema", "table", "\"odd\\name\nwith newline\"", "TABLE (\"a b\")"),
      object("public", "function", "f(a integer)",
             "CREATE OR REPLACE FUNCTION public.f(a integer)\n RETURNS integer\n\n LANGUAGE sql\nAS $$\n  "
             "select 1\r\n$$\n"),
      object("public", "comment", "column users.email", ""),
      object("public", "view", "v", "  leading blanks\n\n\ntrailing blanks  "),
      object("x\\sy", "schema", "\"x\\sy\"", "SCHEMA \"x\\sy\""),
  };
}

}  // namespace

TEST_CASE("a snapshot is sorted by schema, kind (containers first) and name, in byte order") {
  const auto snapshot = make_schema_snapshot({
      object("public", "index", "b_idx", "CREATE INDEX b_idx ..."),
      object("public", "column", "users.Zed", "text NULL"),
      object("audit", "table", "log", "TABLE (id)"),
      object("public", "table", "users", "TABLE (id)"),
      object("public", "column", "users.age", "integer NULL"),
      object("public", "schema", "public", "SCHEMA public"),
  });
  std::vector<std::string> order;
  for (const auto& o : snapshot.objects) order.push_back(o.schema + " " + o.kind + " " + o.name);
  CHECK(order == std::vector<std::string>{"audit table log", "public schema public", "public table users",
                                          "public column users.Zed", "public column users.age",
                                          "public index b_idx"});
}

TEST_CASE("two objects of one schema, kind and name cannot be in one snapshot") {
  CHECK_THROWS_WITH(make_schema_snapshot({object("public", "table", "t", "a"), object("public", "table", "t", "b")}),
                    "Schema snapshot: two objects named table public.t");
  CHECK_THROWS_AS(make_schema_snapshot({object("public", "Table", "t", "a")}), Error);
}

TEST_CASE("the canonical text: a header line per object, its definition indented by two spaces") {
  const auto snapshot = make_schema_snapshot({object("public", "table", "users", "TABLE (id)\nROW LEVEL SECURITY"),
                                              object("my schema", "column", "a b.c", "")});
  CHECK(schema_objects_text(snapshot) ==
        "column my\\sschema a b.c\n"
        "  \n"
        "table public users\n"
        "  TABLE (id)\n"
        "  ROW LEVEL SECURITY\n");
  CHECK(schema_fingerprint(snapshot) == "sha256:" + sha256_hex(schema_objects_text(snapshot)));
  CHECK(schema_file_text(snapshot) == "-- The live schema, read from PostgreSQL's catalog by `migrate schema`\n"
                                      "-- fingerprint " + schema_fingerprint(snapshot) + "\n"
                                      "-- objects 2\n" + schema_objects_text(snapshot));
}

TEST_CASE("the fingerprint of no objects is the SHA-256 of no bytes") {
  CHECK(schema_fingerprint(make_schema_snapshot({})) ==
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("the text reads back into the same snapshot: names and definitions byte for byte") {
  const auto snapshot = make_schema_snapshot(awkward_objects());
  CHECK(parse_schema_text(schema_objects_text(snapshot)) == snapshot);
  CHECK(parse_schema_text(schema_file_text(snapshot)) == snapshot);
  CHECK(schema_fingerprint(parse_schema_text(schema_file_text(snapshot))) == schema_fingerprint(snapshot));
  // Each object on its own, so that a mismatch names the object.
  for (const auto& one : snapshot.objects) {
    INFO(one.kind << " " << one.name);
    const auto alone = make_schema_snapshot({one});
    CHECK(parse_schema_text(schema_objects_text(alone)) == alone);
  }
}

TEST_CASE("an editor that trims trailing blanks does not change what the text reads back as") {
  const auto snapshot = make_schema_snapshot(awkward_objects());
  std::string trimmed;
  for (std::size_t start = 0; start < schema_file_text(snapshot).size();) {
    const std::string text = schema_file_text(snapshot);
    const auto end = text.find('\n', start);
    std::string line = text.substr(start, end - start);
    if (line == "  ") line.clear();
    trimmed += line + '\n';
    start = end + 1;
  }
  REQUIRE(trimmed != schema_file_text(snapshot));
  CHECK(parse_schema_text(trimmed) == snapshot);
}

TEST_CASE("text of another form is refused with its line number") {
  CHECK_THROWS_WITH(parse_schema_text("-- header\n  orphan definition\n"),
                    "Schema text, line 2: a definition before any object");
  CHECK_THROWS_WITH(parse_schema_text("table public\n  TABLE ()\n"),
                    "Schema text, line 1: expected 'KIND SCHEMA NAME' or a definition line indented by two spaces");
  CHECK_THROWS_WITH(parse_schema_text("table public users\n  x\n tab\n"),
                    "Schema text, line 3: expected 'KIND SCHEMA NAME' or a definition line indented by two spaces");
  CHECK_THROWS_WITH(parse_schema_text("table pub\\tlic users\n  x\n"), "Schema text, line 1: unknown escape in a name");
  CHECK_THROWS_WITH(parse_schema_text("table public t\n  a\ntable public t\n  b\n"),
                    "Schema snapshot: two objects named table public.t");
}

TEST_CASE("the difference of two snapshots: added, dropped and changed objects in canonical order") {
  const auto expected = make_schema_snapshot({
      object("public", "table", "users", "TABLE (id, phone)"),
      object("public", "column", "users.id", "integer NOT NULL"),
      object("public", "column", "users.phone", "text NULL"),
      object("public", "grant", "table users", "PUBLIC: SELECT"),
  });
  const auto live = make_schema_snapshot({
      object("public", "table", "users", "TABLE (id)"),
      object("public", "column", "users.id", "integer NOT NULL"),
      object("public", "index", "users_email_idx", "CREATE INDEX users_email_idx ON public.users USING btree (id)"),
      object("public", "grant", "table users", "PUBLIC: SELECT"),
      object("public", "comment", "column users.id", "the key"),
  });
  const auto changes = diff_schemas(expected, live);
  std::vector<std::string> lines;
  for (const auto& change : changes) lines.push_back(schema_change_line(change));
  CHECK(lines == std::vector<std::string>{"table public.users: changed", "column public.users.phone: dropped",
                                          "index public.users_email_idx: added",
                                          "comment on column public.users.id: added"});
  REQUIRE(changes.size() == 4);
  CHECK(changes[0].before == "TABLE (id, phone)");
  CHECK(changes[0].object.definition == "TABLE (id)");
  CHECK(changes[1].object.definition == "text NULL");
  CHECK(diff_schemas(live, live).empty());
  CHECK(schema_change_line(diff_schemas(live, expected)[2]) == "index public.users_email_idx: dropped");
}

TEST_CASE("objects are named in messages by kind and qualified name") {
  CHECK(schema_object_label(object("public", "schema", "public", "")) == "schema public");
  CHECK(schema_object_label(object("public", "extension", "pgcrypto", "")) == "extension pgcrypto");
  CHECK(schema_object_label(object("app", "materialized_view", "totals", "")) == "materialized view app.totals");
  CHECK(schema_object_label(object("app", "grant", "schema app", "")) == "grants on schema app");
  CHECK(schema_object_label(object("app", "grant", "sequence s", "")) == "grants on sequence app.s");
  CHECK(schema_object_label(object("app", "grant", "materialized_view totals", "")) ==
        "grants on materialized view app.totals");
  CHECK(schema_object_label(object("app", "comment", "schema app", "")) == "comment on schema app");
  CHECK(schema_object_label(object("app", "comment", "function f(integer)", "")) ==
        "comment on function app.f(integer)");
}
