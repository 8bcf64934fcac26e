#pragma once
/// Detects a stale binary: migration sources on disk that were not compiled in.

#include <string>
#include <vector>

namespace sonamu {

/// File names of `*.cpp` and `*.sql` files directly in `directory` whose stem is not in `known` (sorted).
/// An absent directory yields nothing: there is nothing to compare with.
std::vector<std::string> uncompiled_sources(const std::string& directory,
                                            const std::vector<std::string>& known);

}  // namespace sonamu
