// `migrate schema`'s result value and the text and JSON rendered from it, without a server.
#include "../support/scratch_directory.hpp"
#include "cli/schema_command.hpp"
#include "core/error.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/stat.h>

using namespace sonamu;
using namespace sonamu::cli;

namespace {

SchemaSnapshot live_schema() {
  return make_schema_snapshot({{"public", "table", "users", "TABLE (id)"},
                               {"public", "column", "users.id", "integer NOT NULL"}});
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("schema without a file prints the snapshot with its header; exit 0") {
  const auto result = schema_result(live_schema(), std::nullopt, std::nullopt);
  CHECK(result.fingerprint == schema_fingerprint(live_schema()));
  CHECK(schema_text(result) == schema_file_text(live_schema()));
  CHECK(result.exit_code() == ExitCode::ok);
  const auto json = schema_json(result);
  CHECK(json["fingerprint"] == result.fingerprint);
  CHECK(json["objects"][1] ==
        nlohmann::json{{"schema", "public"}, {"kind", "column"}, {"name", "users.id"}, {"definition", "integer NOT NULL"}});
  CHECK_FALSE(json.contains("changes"));
}

TEST_CASE("schema --file replaces the file through a temporary one, readable by all, and says so") {
  const test::ScratchDirectory folder("sonamu-schema-unit");
  const auto path = (folder.path() / "schema.sql").string();
  std::ofstream(path) << "an older schema\n";
  const auto result = schema_result(live_schema(), path, std::nullopt);
  CHECK(read(path) == schema_file_text(live_schema()));
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0644);
  CHECK(schema_text(result) == "Schema written to " + path + ": 2 objects, " + result.fingerprint + "\n");
  CHECK(schema_json(result)["file"] == path);
  CHECK(std::distance(std::filesystem::directory_iterator(folder.path()), std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("schema --check: one line when equal, a summary and a line per object when not") {
  const test::ScratchDirectory folder("sonamu-schema-unit-check");
  const auto path = (folder.path() / "expected.sql").string();
  std::ofstream(path) << schema_file_text(live_schema());
  const auto equal = schema_result(live_schema(), std::nullopt, path);
  CHECK(equal.exit_code() == ExitCode::ok);
  CHECK(schema_text(equal) == "Schema matches " + path + ": 2 objects, " + equal.fingerprint + "\n");
  CHECK(schema_json(equal)["equal"] == true);

  std::ofstream(path) << "table public users\n  TABLE (id, phone)\ncolumn public users.phone\n  text NULL\n";
  const auto differs = schema_result(live_schema(), std::nullopt, path);
  CHECK(differs.exit_code() == ExitCode::migration_failed);
  CHECK(schema_text(differs) == "Schema differs from " + path + ": 1 added, 1 dropped, 1 changed\n"
                                "  table public.users: changed\n"
                                "  column public.users.id: added\n"
                                "  column public.users.phone: dropped\n");
  const auto json = schema_json(differs);
  CHECK(json["equal"] == false);
  CHECK(json["changes"][2] == nlohmann::json{{"change", "dropped"}, {"kind", "column"}, {"schema", "public"},
                                             {"name", "users.phone"}, {"object", "column public.users.phone"},
                                             {"definition", nullptr}, {"before", "text NULL"}});
  CHECK(json["changes"][1]["before"] == nullptr);
}

TEST_CASE("schema --check of a file not in the snapshot's form is a usage error naming the file") {
  const test::ScratchDirectory folder("sonamu-schema-unit-bad");
  const auto path = (folder.path() / "bad.sql").string();
  std::ofstream(path) << "table public\n";
  try {
    schema_result(live_schema(), std::nullopt, path);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::usage);
    CHECK(std::string(e.what()) == path + ": Schema text, line 1: expected 'KIND SCHEMA NAME' or a definition line "
                                          "indented by two spaces");
  }
}
