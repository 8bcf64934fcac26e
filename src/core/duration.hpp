#pragma once
/// PostgreSQL durations as the tool accepts them for statement_timeout and lock_timeout.

#include <string>

namespace sonamu {

/// Why `text` is no duration PostgreSQL's timeouts hold ("500ms", "30s", "5min", "1h"; a bare
/// number is milliseconds, as the server reads it); empty when it is one.
std::string duration_problem(const std::string& text);

}  // namespace sonamu
