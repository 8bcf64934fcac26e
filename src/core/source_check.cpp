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
