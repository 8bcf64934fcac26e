#include "cli/schema_command.hpp"

#include "cli/printing.hpp"
#include "core/error.hpp"
#include "pg/schema_catalog_reader.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sonamu::cli {

namespace {

std::string system_error(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

/// Writes all of `text` to `fd` and flushes it to disk; false (errno set) on a failure.
bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t written = ::write(fd, text.data() + done, text.size() - done);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    done += static_cast<std::size_t>(written);
  }
  return ::fsync(fd) == 0;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ExitCode::usage, system_error("Cannot read the schema file", path));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error(ExitCode::usage, system_error("Cannot read the schema file", path));
  return text.str();
}

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

void schema_options(CLI::App& command, Options& options) {
  CLI::Option* file = command.add_option("--file", options.schema_file,
                                         "Write the schema to this file (atomically: a temporary file renamed)");
  CLI::Option* check = command.add_option(
      "--check", options.schema_check, "Exit 1 listing the objects that differ when the live schema is not this file's");
  file->excludes(check);
  check->excludes(file);
}

void write_file_atomically(const std::string& path, const std::string& text) {
  const std::filesystem::path target(path);
  const auto folder = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  std::string temporary = (folder / ("." + target.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) throw Error(ExitCode::usage, system_error("Cannot write a temporary file in", folder.string()));
  // mkstemp makes the file private; a schema file is as readable as any other source file.
  const bool written = ::fchmod(fd, 0644) == 0 && write_all(fd, text);
  const int write_errno = errno;
  const bool closed = ::close(fd) == 0;
  if (!written || !closed || ::rename(temporary.c_str(), path.c_str()) != 0) {
    // The first failure is the one to report: close after a failed write says nothing new.
    if (!written) errno = write_errno;
    const std::string message = system_error("Cannot write the schema file", path);
    ::unlink(temporary.c_str());
    throw Error(ExitCode::usage, message);
  }
}

SchemaResult schema_result(SchemaSnapshot live, const std::optional<std::string>& write_to,
                           const std::optional<std::string>& check_against) {
  SchemaResult result;
  result.fingerprint = schema_fingerprint(live);
  result.live = std::move(live);
  if (write_to) {
    write_file_atomically(*write_to, schema_file_text(result.live));
    result.written = write_to;
  }
  if (check_against) {
    const std::string text = read_file(*check_against);
    SchemaSnapshot expected;
    try {
      expected = parse_schema_text(text);
    } catch (const Error& e) {
      throw Error(ExitCode::usage, *check_against + ": " + e.what());
    }
    result.checked = check_against;
    result.file_fingerprint = schema_fingerprint(expected);
    result.changes = diff_schemas(expected, result.live);
  }
  return result;
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

ExitCode schema_command(Invocation& in) {
  const auto& options = in.options;
  SchemaSnapshot live = pg::read_live_schema(in.target(), in.settings.migrator.location, in.settings.migrator.limits);
  const SchemaResult result = schema_result(std::move(live), options.schema_file, options.schema_check);
  const ExitCode code = result.exit_code();
  if (options.json) {
    auto document = envelope(in.context, static_cast<int>(code));
    document.update(schema_json(result));
    print_document(in.out, document);
    return code;
  }
  // --quiet keeps the schema itself, which is what was asked for, and drops the other lines.
  if (options.quiet && (result.written || result.checked)) return code;
  in.out << schema_text(result);
  return code;
}

}  // namespace sonamu::cli
