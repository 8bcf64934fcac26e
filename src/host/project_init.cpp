#include "host/project_init.hpp"

#include "core/error.hpp"

#include <filesystem>
#include <fstream>
#include <regex>

namespace sonamu::cli {

namespace {

namespace fs = std::filesystem;

std::string cmake_lists(const std::string& executable) {
  return "# The migrations of this project, compiled into one executable: build/" + executable + R"(.
# Build: cmake -S . -B build && cmake --build build
cmake_minimum_required(VERSION 3.18)
project()" + executable + R"( LANGUAGES CXX)

find_package(SonamuMigrate 0.1 REQUIRED)

# The sonamu command line with every .cpp and .sql file of migrations/ compiled in.
sonamu_add_migrations(TARGET )" + executable + R"( DIRECTORY migrations)
)";
}

/// Every environment connects to DATABASE_URL, so no secret is ever written here; production
/// adds the guards a rollback that deletes data needs there.
constexpr const char* config_text = R"({
  "migrations": {
    "directory": "migrations"
  },
  "environments": {
    "development": { "connection": "${DATABASE_URL}" },
    "production": { "connection": "${DATABASE_URL}", "requireYes": true }
  }
}
)";

/// The installation prefix of this executable (`PREFIX/bin/NAME`) when its CMake package is
/// there and CMake would not look there by itself.
std::optional<std::string> package_prefix() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return std::nullopt;
  const fs::path prefix = exe.parent_path().parent_path();
  if (prefix == "/usr" || prefix == "/usr/local") return std::nullopt;
  const auto has_package = [&](const fs::path& lib) {
    return fs::exists(lib / "cmake" / "SonamuMigrate" / "SonamuMigrateConfig.cmake", ec);
  };
  if (has_package(prefix / "lib")) return prefix.string();
  // Debian's multiarch layout: PREFIX/lib/x86_64-linux-gnu/cmake/...
  for (const auto& entry : fs::directory_iterator(prefix / "lib", ec)) {
    if (entry.is_directory(ec) && has_package(entry.path())) return prefix.string();
  }
  return std::nullopt;
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary);
  file << text;
  file.close();
  if (!file) throw Error(ExitCode::usage, "Cannot write " + path.string());
}

}  // namespace

std::string default_executable_name(const std::string& folder) {
  std::error_code ec;
  const fs::path absolute = fs::weakly_canonical(fs::absolute(folder, ec), ec);
  std::string name = std::regex_replace(absolute.filename().string(), std::regex("[^A-Za-z0-9_]+"), "_");
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front())) != 0) name = "app" + name;
  return name + "_migrate";
}

InitializedProject init_project(const std::string& folder, const std::string& executable) {
  if (!std::regex_match(executable, std::regex("[A-Za-z_][A-Za-z0-9_-]*"))) {
    throw Error(ExitCode::usage, "The executable's name '" + executable +
                                     "' is not a CMake target name (letters, digits, _ and -)");
  }
  const fs::path root(folder);
  const fs::path cmake = root / "CMakeLists.txt";
  const fs::path config = root / "sonamu.config.json";
  std::error_code ec;
  for (const auto& path : {cmake, config}) {
    if (fs::exists(path, ec)) {
      throw Error(ExitCode::usage, path.string() + " exists: init writes a new project only, and changes nothing");
    }
  }
  fs::create_directories(root / "migrations", ec);
  if (ec) throw Error(ExitCode::usage, "Cannot create " + (root / "migrations").string() + ": " + ec.message());
  write_file(cmake, cmake_lists(executable));
  write_file(config, config_text);
  return {folder, executable, {cmake.string(), config.string(), (root / "migrations").string() + "/"},
          package_prefix()};
}

}  // namespace sonamu::cli
