#include "cli/schema_command.hpp"

#include "cli/printing.hpp"
#include "core/error.hpp"
#include "host/text_file.hpp"
#include "pg/schema_catalog_reader.hpp"

namespace sonamu::cli {

void schema_options(CLI::App& command, Options& options) {
  CLI::Option* file = command.add_option("--file", options.schema_file,
                                         "Write the schema to this file (atomically: a temporary file renamed)");
  CLI::Option* check = command.add_option(
      "--check", options.schema_check, "Exit 1 listing the objects that differ when the live schema is not this file's");
  file->excludes(check);
  check->excludes(file);
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
    const std::string text = read_text_file(*check_against, "the schema file");
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
