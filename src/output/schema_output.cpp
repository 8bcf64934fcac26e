#include "output/schema_output.hpp"

#include <fmt/format.h>

namespace sonamu::cli {

namespace {

std::size_t count(const std::vector<SchemaChange>& changes, SchemaChangeKind kind) {
  std::size_t n = 0;
  for (const auto& change : changes) n += change.change == kind ? 1 : 0;
  return n;
}

nlohmann::json object_json(const SchemaObject& object) {
  return {{"schema", object.schema}, {"kind", object.kind}, {"name", object.name}, {"definition", object.definition}};
}

nlohmann::json change_json(const SchemaChange& change) {
  return {{"change", schema_change_word(change.change)},
          {"kind", change.object.kind},
          {"schema", change.object.schema},
          {"name", change.object.name},
          {"object", schema_object_label(change.object)},
          {"definition", change.change == SchemaChangeKind::dropped ? nlohmann::json(nullptr)
                                                                    : nlohmann::json(change.object.definition)},
          {"before", change.change == SchemaChangeKind::added     ? nlohmann::json(nullptr)
                     : change.change == SchemaChangeKind::dropped ? nlohmann::json(change.object.definition)
                                                                  : nlohmann::json(change.before)}};
}

}  // namespace

ExitCode SchemaResult::exit_code() const {
  return checked && !changes.empty() ? ExitCode::migration_failed : ExitCode::ok;
}

std::string schema_text(const SchemaResult& result) {
  const std::size_t objects = result.live.objects.size();
  if (result.written) {
    return fmt::format("Schema written to {}: {} objects, {}\n", *result.written, objects, result.fingerprint);
  }
  if (!result.checked) return schema_file_text(result.live);
  if (result.changes.empty()) {
    return fmt::format("Schema matches {}: {} objects, {}\n", *result.checked, objects, result.fingerprint);
  }
  std::string text = fmt::format("Schema differs from {}: {} added, {} dropped, {} changed\n", *result.checked,
                                 count(result.changes, SchemaChangeKind::added),
                                 count(result.changes, SchemaChangeKind::dropped),
                                 count(result.changes, SchemaChangeKind::changed));
  for (const auto& change : result.changes) text += "  " + schema_change_line(change) + '\n';
  return text;
}

nlohmann::json schema_json(const SchemaResult& result) {
  nlohmann::json objects = nlohmann::json::array();
  for (const auto& object : result.live.objects) objects.push_back(object_json(object));
  nlohmann::json document = {{"fingerprint", result.fingerprint}, {"objects", objects}};
  if (result.written) document["file"] = *result.written;
  if (result.checked) {
    nlohmann::json changes = nlohmann::json::array();
    for (const auto& change : result.changes) changes.push_back(change_json(change));
    document["file"] = *result.checked;
    document["file_fingerprint"] = result.file_fingerprint;
    document["equal"] = result.changes.empty();
    document["changes"] = changes;
  }
  return document;
}

}  // namespace sonamu::cli
