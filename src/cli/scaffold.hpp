#pragma once
/// `migrate make NAME`: a new migration file from a template, as knex's migrate:make.

#include <chrono>
#include <string>

namespace sonamu::cli {

/// Writes `directory/YYYYMMDDHHMMSS_name.cpp` (UTC time `now`), creating the folder if needed,
/// and returns its path. Throws sonamu::Error (usage) when `name` is not an identifier or the
/// file exists: an existing file is never overwritten.
std::string create_migration_file(const std::string& directory, const std::string& name,
                                  std::chrono::system_clock::time_point now);

}  // namespace sonamu::cli
