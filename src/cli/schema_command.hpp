#pragma once
/// `migrate schema`: the live schema read from PostgreSQL's catalog, printed, written to a
/// file, or compared with one (a CI step).

#include "cli/invocation.hpp"
#include "core/exit_code.hpp"
#include "core/schema_snapshot.hpp"

#include <CLI/CLI.hpp>
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

/// The options of `schema`: --file and --check (which exclude each other).
void schema_options(CLI::App& command, Options& options);

/// The result of `schema` on the snapshot `live`: with `write_to`, the file written
/// atomically; with `check_against`, the file read and compared. Throws sonamu::Error (usage)
/// when the file cannot be written, read or parsed.
SchemaResult schema_result(SchemaSnapshot live, const std::optional<std::string>& write_to,
                           const std::optional<std::string>& check_against);

/// Writes `text` to `path` through a temporary file in the same folder, renamed over it once
/// complete and flushed: a reader sees the old file or the new one, never a part.
void write_file_atomically(const std::string& path, const std::string& text);

/// The text `schema` prints: the snapshot with its header; after --file one line; after
/// --check one line when equal, else one line per changed object and a summary.
std::string schema_text(const SchemaResult& result);

/// The fields `schema --json` adds to the envelope: `fingerprint`, `objects` (schema, kind,
/// name, definition); `file` after --file; `file`, `file_fingerprint`, `equal` and `changes`
/// (change, kind, schema, name, object, definition, before) after --check.
nlohmann::json schema_json(const SchemaResult& result);

/// Runs `schema`: exit 1 when --check finds a difference.
ExitCode schema_command(Invocation& in);

}  // namespace sonamu::cli
