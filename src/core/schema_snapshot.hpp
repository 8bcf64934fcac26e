#pragma once
/// The live schema as a value: every object a migration can create, each with the server's own
/// rendering of its definition, in one canonical order. Two databases with the same schema give
/// the same value, text and fingerprint, whatever their OIDs or the order of their creation;
/// two snapshots compare object by object.

#include <string>
#include <vector>

namespace sonamu {

/// One object of the schema. `kind` is one word (table, column, index, ...); `name` is unique
/// among the objects of its schema and kind (a column is `table.column`, a function carries its
/// argument types); `definition` is what decides whether two objects are the same.
struct SchemaObject {
  std::string schema;
  std::string kind;
  std::string name;
  std::string definition;

  bool operator==(const SchemaObject& other) const;
  bool operator!=(const SchemaObject& other) const { return !(*this == other); }
};

/// The objects of a schema, sorted by schema, kind and name (byte order: no locale decides).
struct SchemaSnapshot {
  std::vector<SchemaObject> objects;

  bool operator==(const SchemaSnapshot& other) const { return objects == other.objects; }
  bool operator!=(const SchemaSnapshot& other) const { return !(*this == other); }
};

/// The snapshot of `objects` in canonical order. Throws sonamu::Error (usage) when two objects
/// share schema, kind and name, or a kind is not one word: the text could not be read back.
SchemaSnapshot make_schema_snapshot(std::vector<SchemaObject> objects);

/// The canonical text of the objects, without header: for each object a line
/// `KIND SCHEMA NAME`, then its definition, each of its lines indented by two spaces. In the
/// schema and the name a backslash, a newline and a carriage return are written `\\`, `\n`
/// and `\r`, and in the schema a space is `\s`, so every line reads back exactly.
std::string schema_objects_text(const SchemaSnapshot& snapshot);

/// "sha256:" and the lower-case hex SHA-256 of schema_objects_text().
std::string schema_fingerprint(const SchemaSnapshot& snapshot);

/// The file form: a comment header (lines starting with "--": what it is, the fingerprint,
/// the number of objects), then schema_objects_text().
std::string schema_file_text(const SchemaSnapshot& snapshot);

/// Reads schema_file_text() or schema_objects_text() back: header comments are skipped, and
/// a definition line left empty (an editor that trims trailing blanks) stays an empty line.
/// Throws sonamu::Error (usage) naming the line of text that is not of this form.
SchemaSnapshot parse_schema_text(const std::string& text);

/// How an object differs between an expected snapshot (a file) and the live one.
enum class SchemaChangeKind { added, dropped, changed };

/// One object that differs. `object` is the live one (added, changed) or the expected one
/// (dropped); `before` is the expected definition of a changed object.
struct SchemaChange {
  SchemaChangeKind change = SchemaChangeKind::changed;
  SchemaObject object;
  std::string before;
};

/// The objects only in `live` (added), only in `expected` (dropped) and in both with another
/// definition (changed), in canonical order.
std::vector<SchemaChange> diff_schemas(const SchemaSnapshot& expected, const SchemaSnapshot& live);

/// How a message names an object: "table public.users", "column public.users.phone",
/// "schema public", "comment on column public.users.email", "grants on table public.users".
std::string schema_object_label(const SchemaObject& object);

/// "added", "dropped" or "changed".
const char* schema_change_word(SchemaChangeKind change);

/// One line per change: "column public.users.phone: dropped".
std::string schema_change_line(const SchemaChange& change);

}  // namespace sonamu
