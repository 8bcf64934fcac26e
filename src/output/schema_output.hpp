#pragma once
/// What `migrate schema` found and did, and the text and JSON written from it.

#include "core/exit_code.hpp"
#include "core/schema_snapshot.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace sonamu::cli {

/// What one `migrate schema` found and did.
struct SchemaResult {
  SchemaSnapshot live;
  std::string fingerprint;               ///< of `live`
  std::optional<std::string> written;    ///< --file: the file written
  std::optional<std::string> checked;    ///< --check: the file compared with
  std::string file_fingerprint;          ///< --check: the fingerprint of the file's objects
  std::vector<SchemaChange> changes;     ///< --check: what differs, in canonical order

  /// 1 when a --check found differences, else 0.
  ExitCode exit_code() const;
};

/// The text `schema` prints: the snapshot with its header; after --file one line; after
/// --check one line when equal, else one line per changed object and a summary.
std::string schema_text(const SchemaResult& result);

/// The fields `schema --json` adds to the envelope: `fingerprint`, `objects` (schema, kind,
/// name, definition); `file` after --file; `file`, `file_fingerprint`, `equal` and `changes`
/// (change, kind, schema, name, object, definition, before) after --check.
nlohmann::json schema_json(const SchemaResult& result);

}  // namespace sonamu::cli
