#include "host/source_hash.hpp"

#include "core/sha256.hpp"

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace sonamu::cli {

std::optional<std::string> sha256_of_file(const std::string& path) {
  // Migration sources are small: read whole, hashed by the one SHA-256 of core.
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  try {
    return sha256_hex(bytes);
  } catch (const std::runtime_error&) {
    return std::nullopt;
  }
}

}  // namespace sonamu::cli
