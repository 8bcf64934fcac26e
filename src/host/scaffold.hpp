#pragma once
/// `migrate make NAME`: a new migration file from a template, as knex's migrate:make.

#include <chrono>
#include <string>

namespace sonamu::cli {

/// The kind of migration file `make` writes.
enum class MigrationLanguage { cpp, sql };

/// Writes `directory/YYYYMMDDHHMMSS_name.cpp` (or `.sql`) (UTC time `now`), creating the folder
/// if needed, and returns its path. Throws sonamu::Error (usage) when `name` is not an
/// identifier or the file exists: an existing file is never overwritten.
std::string create_migration_file(const std::string& directory, const std::string& name,
                                  std::chrono::system_clock::time_point now,
                                  MigrationLanguage language = MigrationLanguage::cpp);

}  // namespace sonamu::cli
