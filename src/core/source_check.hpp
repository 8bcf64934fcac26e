#pragma once
/// Detects a stale binary: migration sources on disk that were not compiled in, or that
/// changed since they were.

#include "core/registry.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sonamu {

/// File names of `*.cpp` and `*.sql` files directly in `directory` whose stem is not in `known` (sorted).
/// An absent directory yields nothing: there is nothing to compare with.
std::vector<std::string> uncompiled_sources(const std::string& directory,
                                            const std::vector<std::string>& known);

}  // namespace sonamu

namespace sonamu {

/// Reads a file and returns its SHA-256 in lower-case hex; nullopt when it cannot be read.
using FileHasher = std::function<std::optional<std::string>(const std::string& path)>;

/// File names of the migrations whose `DIRECTORY/STEM.cpp` (`.sql` for a SQL migration) exists and no longer has the hash
/// it was compiled with (sorted). Migrations compiled without a hash are not compared.
std::vector<std::string> edited_sources(const std::string& directory, const std::vector<Migration>& migrations,
                                        const FileHasher& hash);

}  // namespace sonamu
