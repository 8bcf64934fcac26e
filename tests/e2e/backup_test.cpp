// --backup FILE: a new private file, put in place only when pg_dump succeeds; never replacing,
// following or deleting what the command did not create; never mixed into --json.
#include "e2e.hpp"

#include "../support/wait_until.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <csignal>

#include <sys/stat.h>

using namespace sonamu::test;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& name) {
  std::ifstream in(name);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// Entries of `folder`, sorted, as "name name ...".
std::string entries(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : " ") + name;
  return text;
}

}  // namespace

TEST_CASE("--backup writes a new file readable by its owner only") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  const ScratchDirectory scratch("sonamu-backup-mode");
  const fs::path file = scratch.path() / "dump.sql";
  const auto result = migrate(db, {"rollback", "--backup", file.string()});
  CHECK(result.exit_code == 0);
  struct stat info {};
  REQUIRE(::stat(file.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  CHECK(entries(scratch.path()) == "dump.sql");
  CHECK_THAT(read(file), Catch::Contains("CREATE TABLE public.users"));
}

TEST_CASE("--backup refuses an existing file, symlink or folder, unless --replace-backup; nothing is rolled back") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  const ScratchDirectory scratch("sonamu-backup-existing");
  const fs::path file = scratch.path() / "dump.sql";
  std::ofstream(file) << "precious";
  const auto refused = migrate(db, {"rollback", "--backup", file.string()});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err == "Error: Backup file " + file.string() +
                           " already exists; choose a new name, or pass --replace-backup\n");
  CHECK(read(file) == "precious");
  CHECK(db.has_table("users"));

  const fs::path target = scratch.path() / "target.txt";
  std::ofstream(target) << "not a dump";
  const fs::path link = scratch.path() / "link.sql";
  fs::create_symlink(target, link);
  CHECK(migrate(db, {"rollback", "--backup", link.string()}).exit_code == 2);
  CHECK(read(target) == "not a dump");

  const fs::path folder = scratch.path() / "empty-folder";
  fs::create_directory(folder);
  CHECK(migrate(db, {"rollback", "--backup", folder.string()}).exit_code == 2);
  CHECK(fs::is_directory(folder));
  CHECK(db.has_table("users"));

  // Replacing a symlink replaces the link itself, never the file it points to.
  const auto replaced = migrate(db, {"rollback", "--backup", link.string(), "--replace-backup"});
  CHECK(replaced.exit_code == 0);
  CHECK(read(target) == "not a dump");
  CHECK_FALSE(fs::is_symlink(link));
  CHECK_THAT(read(link), Catch::Contains("CREATE TABLE public.users"));
  CHECK_FALSE(db.has_table("users"));
}

TEST_CASE("a failed dump deletes only its own partial file") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  const ScratchDirectory scratch("sonamu-backup-failed");
  const fs::path file = scratch.path() / "dump.sql";
  // pg_dump fails: the database does not exist for it (a wrapper first in PATH says so).
  const ScratchDirectory bin("sonamu-bin-failing");
  std::ofstream(bin.path() / "pg_dump") << "#!/bin/sh\necho 'partial' ; echo 'pg_dump: error: it broke' >&2; exit 1\n";
  fs::permissions(bin.path() / "pg_dump", fs::perms::owner_all);
  const char* path = std::getenv("PATH");
  auto spec = migrate_spec(db, {"rollback", "--backup", file.string()}, SONAMU_BINARY,
                           {{"PATH", bin.string() + ":" + (path != nullptr ? path : "/usr/bin:/bin")}});
  const auto failed = run_migrate(spec);
  CHECK(failed.exit_code == 1);
  CHECK(failed.err == "Error: Backup to " + file.string() + " failed (pg_dump: error: it broke); nothing was rolled back\n");
  CHECK(entries(scratch.path()).empty());
  CHECK(db.has_table("users"));

  // The same failure with --replace-backup over an existing file leaves that file alone.
  std::ofstream(file) << "older dump";
  spec = migrate_spec(db, {"rollback", "--backup", file.string(), "--replace-backup"}, SONAMU_BINARY,
                      {{"PATH", bin.string() + ":" + (path != nullptr ? path : "/usr/bin:/bin")}});
  CHECK(run_migrate(spec).exit_code == 1);
  CHECK(read(file) == "older dump");
  CHECK(entries(scratch.path()) == "dump.sql");
}

TEST_CASE("--backup - is refused with --json, before anything changes") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  const auto refused = migrate(db, {"rollback", "--backup", "-", "--json"});
  CHECK(refused.exit_code == 2);
  CHECK(db.has_table("users"));
  CHECK(refused.out.find("PostgreSQL database dump") == std::string::npos);
}

TEST_CASE("an sslpassword a service file cannot hold is refused for --backup (exit 2); nothing rolled back") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  const ScratchDirectory scratch("sonamu-backup-sslpassword");
  const fs::path file = scratch.path() / "dump.sql";
  const auto result = run_migrate(ProcessSpec{
      {SONAMU_BINARY, "migrate", "rollback", "--backup", file.string(), "-c",
       db.conninfo() + " sslpassword='ends in a space '"},
      empty_directory(),
      {{"DATABASE_URL", std::nullopt}}});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("Error: --backup cannot pass an sslpassword ending in a space or "
                                         "holding a line break to pg_dump\n"));
  CHECK(result.err.find("ends in a space") == std::string::npos);
  CHECK(entries(scratch.path()).empty());
  CHECK(recorded(db) == "20251220143022_create__users.cpp:1");
}

TEST_CASE("--backup with an empty name is refused before connecting (exit 2); nothing dumped or rolled back") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  const ScratchDirectory scratch("sonamu-backup-empty");
  const auto refused = migrate(db, {"rollback", "--backup", ""}, SONAMU_BINARY, scratch.string());
  CHECK(refused.exit_code == 2);
  CHECK(refused.err == "Error: --backup needs a file name (or - for stdout)\n");
  CHECK(entries(scratch.path()).empty());
  CHECK(db.has_table("users"));
  CHECK(recorded(db) == "20251220143022_create__users.cpp:1");
}

TEST_CASE("--backup - says the dump went to stdout, not a size of 0 bytes") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  const auto result = migrate(db, {"rollback", "--backup", "-"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("PostgreSQL database dump"));
  CHECK_THAT(result.err, Catch::Contains("Backup: written to stdout\n"));
  CHECK(result.err.find("bytes") == std::string::npos);
  CHECK_FALSE(db.has_table("users"));
  CHECK(recorded(db) == "");
}

TEST_CASE("the unfinished dump of a run killed during --backup is removed by the next run to the same file") {
  TestDatabase db;
  REQUIRE(migrate(db, {"up"}).exit_code == 0);
  const ScratchDirectory scratch("sonamu-backup-killed");
  const fs::path file = scratch.path() / "dump.sql";
  // A pg_dump that never finishes, first in PATH: the tool is killed while it runs.
  const ScratchDirectory bin("sonamu-bin-endless-dump");
  std::ofstream(bin.path() / "pg_dump") << "#!/bin/sh\necho $$ > \"$(dirname \"$0\")/pid\"\nexec sleep 600\n";
  fs::permissions(bin.path() / "pg_dump", fs::perms::owner_all);
  const char* path = std::getenv("PATH");
  Process killed(migrate_spec(db, {"rollback", "--backup", file.string()}, SONAMU_BINARY,
                              {{"PATH", bin.string() + ":" + (path != nullptr ? path : "/usr/bin:/bin")}}));
  int dump_pid = 0;
  wait_until("pg_dump to start", [&] {
    std::ifstream in(bin.path() / "pid");
    return static_cast<bool>(in >> dump_pid) && dump_pid > 0;
  });
  killed.signal(SIGKILL);
  CHECK(killed.wait().exit_code == 128 + SIGKILL);
  // Killed, the tool could not delete its unfinished dump: it is there, named for its run.
  const std::string left = entries(scratch.path());
  CHECK_THAT(left, Catch::StartsWith(".dump.sql.partial-" + std::to_string(killed.pid()) + "-"));
  CHECK(db.has_table("users"));

  const auto next = migrate(db, {"rollback", "--backup", file.string()});
  INFO(next.err);
  CHECK(next.exit_code == 0);
  CHECK_THAT(next.err, Catch::Contains("Removed " + file.parent_path().string() + "/" + left +
                                         ", the unfinished dump of an earlier run that was killed\nBackup: " +
                                         file.string() + " ("));
  CHECK(entries(scratch.path()) == "dump.sql");
  CHECK_THAT(read(file), Catch::Contains("CREATE TABLE public.users"));
  CHECK_FALSE(db.has_table("users"));
}
