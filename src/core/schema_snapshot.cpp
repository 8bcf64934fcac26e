#include "core/schema_snapshot.hpp"

#include "core/error.hpp"
#include "core/sha256.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

namespace sonamu {

namespace {

/// The kinds in the order a schema is read: containers and types first, then tables and what
/// hangs on them, then code, then access and comments. Kinds not listed sort after, by name.
constexpr std::array<const char*, 18> kind_order = {
    "schema",  "extension", "type",     "domain",  "sequence",  "table",  "column", "constraint", "index",
    "view",    "materialized_view",     "function", "procedure", "trigger", "policy", "grant",   "comment",
    "aggregate"};

std::size_t kind_rank(const std::string& kind) {
  const auto found = std::find(kind_order.begin(), kind_order.end(), kind);
  return static_cast<std::size_t>(found - kind_order.begin());
}

auto sort_key(const SchemaObject& object) {
  return std::make_tuple(std::cref(object.schema), kind_rank(object.kind), std::cref(object.kind),
                         std::cref(object.name));
}

bool before(const SchemaObject& a, const SchemaObject& b) { return sort_key(a) < sort_key(b); }

bool same_key(const SchemaObject& a, const SchemaObject& b) {
  return a.schema == b.schema && a.kind == b.kind && a.name == b.name;
}

bool one_word(const std::string& kind) {
  return !kind.empty() && std::all_of(kind.begin(), kind.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || c == '_';
  });
}

/// `\`, newline and carriage return escaped (and a space too when `space`), so that a field
/// stays on its line and, for the schema, ends at the first space.
std::string escape(const std::string& text, bool space) {
  std::string out;
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == ' ' && space) {
      out += "\\s";
    } else {
      out += c;
    }
  }
  return out;
}

std::string unescape(const std::string& text, std::size_t line) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
      continue;
    }
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    static const std::map<char, char> escapes = {{'\\', '\\'}, {'n', '\n'}, {'r', '\r'}, {'s', ' '}};
    const auto found = escapes.find(next);
    if (found == escapes.end()) {
      throw Error(ExitCode::usage, "Schema text, line " + std::to_string(line) + ": unknown escape in a name");
    }
    out += found->second;
    ++i;
  }
  return out;
}

/// The lines of `text` split at each newline; a final newline ends the last line, it does
/// not start another.
std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    if (end == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

SchemaObject parse_header(const std::string& line, std::size_t number) {
  const auto first = line.find(' ');
  const auto second = first == std::string::npos ? std::string::npos : line.find(' ', first + 1);
  if (second == std::string::npos || !one_word(line.substr(0, first))) {
    throw Error(ExitCode::usage, "Schema text, line " + std::to_string(number) +
                                     ": expected 'KIND SCHEMA NAME' or a definition line indented by two spaces");
  }
  SchemaObject object;
  object.kind = line.substr(0, first);
  object.schema = unescape(line.substr(first + 1, second - first - 1), number);
  object.name = unescape(line.substr(second + 1), number);
  return object;
}

}  // namespace

bool SchemaObject::operator==(const SchemaObject& other) const {
  return same_key(*this, other) && definition == other.definition;
}

SchemaSnapshot make_schema_snapshot(std::vector<SchemaObject> objects) {
  // Each kind's rank found once, not in every comparison: a schema has tens of thousands of
  // objects.
  std::vector<std::size_t> ranks(objects.size());
  std::vector<std::size_t> order(objects.size());
  for (std::size_t i = 0; i < objects.size(); ++i) {
    ranks[i] = kind_rank(objects[i].kind);
    order[i] = i;
  }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(objects[a].schema, ranks[a], objects[a].kind, objects[a].name) <
           std::tie(objects[b].schema, ranks[b], objects[b].kind, objects[b].name);
  });
  std::vector<SchemaObject> sorted;
  sorted.reserve(objects.size());
  for (const std::size_t i : order) sorted.push_back(std::move(objects[i]));
  objects = std::move(sorted);
  for (std::size_t i = 0; i < objects.size(); ++i) {
    if (!one_word(objects[i].kind)) {
      throw Error(ExitCode::usage, "Schema object kind '" + objects[i].kind + "' is not one lower-case word");
    }
    if (i > 0 && same_key(objects[i - 1], objects[i])) {
      throw Error(ExitCode::usage, "Schema snapshot: two objects named " + schema_object_label(objects[i]));
    }
  }
  return SchemaSnapshot{std::move(objects)};
}

std::string schema_objects_text(const SchemaSnapshot& snapshot) {
  std::string text;
  for (const auto& object : snapshot.objects) {
    text.append(object.kind).append(1, ' ').append(escape(object.schema, true)).append(1, ' ');
    text.append(escape(object.name, false)).append(1, '\n');
    // Every line of the definition, an empty one and one after a final newline included.
    const std::string& definition = object.definition;
    std::size_t start = 0;
    for (;;) {
      const auto end = definition.find('\n', start);
      const auto length = end == std::string::npos ? definition.size() - start : end - start;
      text.append("  ").append(definition, start, length).append(1, '\n');
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  return text;
}

std::string schema_fingerprint(const SchemaSnapshot& snapshot) {
  return "sha256:" + sha256_hex(schema_objects_text(snapshot));
}

std::string schema_file_text(const SchemaSnapshot& snapshot) {
  return "-- The live schema, read from PostgreSQL's catalog by `migrate schema`\n"
         "-- fingerprint " + schema_fingerprint(snapshot) + "\n" +
         "-- objects " + std::to_string(snapshot.objects.size()) + "\n" + schema_objects_text(snapshot);
}

SchemaSnapshot parse_schema_text(const std::string& text) {
  std::vector<SchemaObject> objects;
  bool in_header = true;
  bool fresh = false;  // the last object has no definition line yet
  const auto lines = split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (in_header && line.rfind("--", 0) == 0) continue;
    in_header = false;
    if (!line.empty() && line.rfind("  ", 0) != 0) {
      objects.push_back(parse_header(line, i + 1));
      fresh = true;
      continue;
    }
    if (objects.empty()) {
      throw Error(ExitCode::usage, "Schema text, line " + std::to_string(i + 1) + ": a definition before any object");
    }
    auto& definition = objects.back().definition;
    if (!fresh) definition += '\n';
    definition += line.empty() ? std::string() : line.substr(2);
    fresh = false;
  }
  return make_schema_snapshot(std::move(objects));
}

std::vector<SchemaChange> diff_schemas(const SchemaSnapshot& expected, const SchemaSnapshot& live) {
  std::vector<SchemaChange> changes;
  auto e = expected.objects.begin();
  auto l = live.objects.begin();
  while (e != expected.objects.end() || l != live.objects.end()) {
    if (l == live.objects.end() || (e != expected.objects.end() && before(*e, *l))) {
      changes.push_back({SchemaChangeKind::dropped, *e++, {}});
    } else if (e == expected.objects.end() || before(*l, *e)) {
      changes.push_back({SchemaChangeKind::added, *l++, {}});
    } else {
      if (e->definition != l->definition) changes.push_back({SchemaChangeKind::changed, *l, e->definition});
      ++e;
      ++l;
    }
  }
  return changes;
}

std::string schema_object_label(const SchemaObject& object) {
  std::string kind = object.kind;
  std::replace(kind.begin(), kind.end(), '_', ' ');
  if (object.kind == "schema" || object.kind == "extension") return kind + ' ' + object.name;
  if (object.kind == "comment" || object.kind == "grant") {
    // The name is the kind of the object commented on (or granted on), then its name.
    const auto space = object.name.find(' ');
    std::string target_kind = object.name.substr(0, space);
    std::replace(target_kind.begin(), target_kind.end(), '_', ' ');
    const std::string target = space == std::string::npos ? std::string() : object.name.substr(space + 1);
    const std::string prefix = object.kind == "comment" ? "comment on " : "grants on ";
    if (target_kind == "schema") return prefix + "schema " + target;
    return prefix + target_kind + ' ' + object.schema + '.' + target;
  }
  return kind + ' ' + object.schema + '.' + object.name;
}

const char* schema_change_word(SchemaChangeKind change) {
  switch (change) {
    case SchemaChangeKind::added: return "added";
    case SchemaChangeKind::dropped: return "dropped";
    case SchemaChangeKind::changed: return "changed";
  }
  return "changed";
}

std::string schema_change_line(const SchemaChange& change) {
  return schema_object_label(change.object) + ": " + schema_change_word(change.change);
}

}  // namespace sonamu
