#pragma once
/// Small text helpers shared by every layer.

#include <string>
#include <vector>

namespace sonamu {

/// `items` separated by `separator`: {"a", "b"} → "a, b".
std::string join(const std::vector<std::string>& items, const std::string& separator = ", ");

/// `text` safe to print on a terminal: control characters (an escape sequence in a file name
/// or a record, a carriage return) shown as \xNN instead of acting on the terminal; other
/// bytes, UTF-8 included, unchanged.
std::string printable(const std::string& text);

}  // namespace sonamu
