#pragma once
/// The SHA-256 of a migration source file, as sonamu_add_migrations() takes it at build time.

#include <optional>
#include <string>

namespace sonamu::cli {

/// Lower-case hex SHA-256 of the file's bytes; nullopt when it cannot be read.
std::optional<std::string> sha256_of_file(const std::string& path);

}  // namespace sonamu::cli
