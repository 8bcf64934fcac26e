#pragma once
/// "Did you mean ...?" for mistyped commands and flags.

#include <string>
#include <vector>

namespace sonamu::cli {

/// The candidate closest to `typed` by edit distance, if close enough to be a typo
/// (at most 2 edits, and fewer than half the length); empty otherwise.
std::string closest(const std::string& typed, const std::vector<std::string>& candidates);

}  // namespace sonamu::cli
