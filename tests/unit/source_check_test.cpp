// The stale-binary check: sources on disk that are not compiled in.
#include "core/source_check.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace sonamu;
namespace fs = std::filesystem;

TEST_CASE("files not compiled in are listed; other files are ignored") {
  const fs::path dir = fs::temp_directory_path() / ("sonamu-source-check-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (const char* name : {"20250101000000_a.cpp", "20250101000001_new.cpp", "20250101000002_b.sql",
                           "20250101000003_new.sql", "README.md", "notes.txt"}) {
    std::ofstream(dir / name) << "// test\n";
  }
  const auto missing = uncompiled_sources(dir.string(), {"20250101000000_a", "20250101000002_b"});
  fs::remove_all(dir);
  // SQL migrations are compiled in as C++ ones are, so a missing one makes the binary stale too.
  CHECK(missing == std::vector<std::string>{"20250101000001_new.cpp", "20250101000003_new.sql"});
}

TEST_CASE("an absent directory is not checked") {
  CHECK(uncompiled_sources("/nonexistent/sonamu/migrations", {}).empty());
}

TEST_CASE("a source whose hash differs from the compiled one is listed; unknown hashes and absent files are not") {
  const fs::path dir = fs::temp_directory_path() / ("sonamu-edited-check-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (const char* name : {"20250101000000_a.cpp", "20250101000001_b.cpp", "20250101000002_c.cpp"}) {
    std::ofstream(dir / name) << name;
  }
  // The hasher stands for SHA-256: here, the file's content.
  const FileHasher content = [](const std::string& path) -> std::optional<std::string> {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  std::vector<Migration> migrations(4);
  migrations[0] = {"20250101000000_a", "", nullptr, nullptr, true, "20250101000000_a.cpp"};
  migrations[1] = {"20250101000001_b", "", nullptr, nullptr, true, "as it was built"};
  migrations[2] = {"20250101000002_c", "", nullptr, nullptr, true, ""};  // built without a hash
  migrations[3] = {"20250101000003_d", "", nullptr, nullptr, true, "no file on disk"};
  const auto edited = edited_sources(dir.string(), migrations, content);
  fs::remove_all(dir);
  CHECK(edited == std::vector<std::string>{"20250101000001_b.cpp"});
}

TEST_CASE("a SQL migration is compared with its .sql file") {
  const fs::path dir = fs::temp_directory_path() / ("sonamu-edited-sql-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "20250101000000_a.sql") << "-- migrate:up\n-- edited\n";
  std::ofstream(dir / "20250101000001_b.sql") << "as it was built";
  const FileHasher content = [](const std::string& path) -> std::optional<std::string> {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  std::vector<Migration> migrations(2);
  migrations[0] = {"20250101000000_a", "/project/migrations/20250101000000_a.sql", nullptr, nullptr, true,
                   "-- migrate:up\n"};
  migrations[1] = {"20250101000001_b", "/project/migrations/20250101000001_b.sql", nullptr, nullptr, true,
                   "as it was built"};
  const auto edited = edited_sources(dir.string(), migrations, content);
  fs::remove_all(dir);
  CHECK(edited == std::vector<std::string>{"20250101000000_a.sql"});
}
