#include "core/source_check.hpp"

#include "core/migration_name.hpp"

#include <algorithm>
#include <filesystem>

namespace sonamu {

std::vector<std::string> uncompiled_sources(const std::string& directory,
                                            const std::vector<std::string>& known) {
  namespace fs = std::filesystem;
  std::vector<std::string> missing;
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) return missing;
  for (const auto& entry : fs::directory_iterator(directory, ec)) {
    const auto extension = entry.path().extension();
    // C++ migrations and SQL migrations, both compiled in by sonamu_add_migrations.
    if (!entry.is_regular_file(ec) || (extension != ".cpp" && extension != ".sql")) continue;
    const std::string stem = entry.path().stem().string();
    if (!std::binary_search(known.begin(), known.end(), stem)) {
      missing.push_back(entry.path().filename().string());
    }
  }
  std::sort(missing.begin(), missing.end());
  return missing;
}

}  // namespace sonamu

namespace sonamu {

std::vector<std::string> edited_sources(const std::string& directory, const std::vector<Migration>& migrations,
                                        const FileHasher& hash) {
  namespace fs = std::filesystem;
  std::vector<std::string> edited;
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) return edited;
  for (const auto& migration : migrations) {
    if (migration.source_hash.empty()) continue;
    // A SQL migration is registered under its .sql file, a C++ one under its .cpp file.
    const std::string extension = fs::path(migration.source_file).extension() == ".sql" ? ".sql" : ".cpp";
    const fs::path file = fs::path(directory) / (migration.stem + extension);
    const auto now = hash(file.string());
    if (now && *now != migration.source_hash) edited.push_back(file.filename().string());
  }
  std::sort(edited.begin(), edited.end());
  return edited;
}

}  // namespace sonamu
