#pragma once
/// SHA-256 of bytes in memory, written as the project writes every hash: lower-case hex.

#include <string>
#include <string_view>

namespace sonamu {

/// Lower-case hex SHA-256 of `bytes`. Throws std::runtime_error if the library fails.
std::string sha256_hex(std::string_view bytes);

}  // namespace sonamu
