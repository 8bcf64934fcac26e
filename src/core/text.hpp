#pragma once
/// Small text helpers shared by every layer.

#include <string>
#include <vector>

namespace sonamu {

/// `items` separated by `separator`: {"a", "b"} → "a, b".
std::string join(const std::vector<std::string>& items, const std::string& separator = ", ");

}  // namespace sonamu
