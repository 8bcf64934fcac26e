#pragma once
/// The tokens of SQL text as PostgreSQL's own scanner reads them (libpg_query's pg_query_scan):
/// comments included, so that what is a comment and what is inside a string, a quoted name or
/// a dollar-quoted body is known exactly.

#include <cstddef>
#include <string>
#include <vector>

namespace sonamu::grammar {

/// One token: where it is, and PostgreSQL's token number (pg_query.proto's `Token`).
struct SqlToken {
  std::size_t start = 0;
  std::size_t end = 0;  ///< one past its last byte
  int kind = 0;
};

/// The token numbers this project looks at.
constexpr int sql_comment_token = 275;  ///< `-- ...` up to the end of its line
constexpr int c_comment_token = 276;    ///< `/* ... */`

/// The tokens of `sql`, or what stops the scanner and where.
struct ScanOutcome {
  std::vector<SqlToken> tokens;
  bool ok = true;
  std::string error;        ///< the scanner's message, when not ok
  std::size_t error_at = 0; ///< where in the text it stopped, when not ok
};

/// The byte offset in `sql` of libpg_query's error position `cursorpos` (which counts UTF-8
/// characters from 1, the way the server reports positions; 0 when it does not say where).
std::size_t error_offset(const std::string& sql, int cursorpos);

/// Scans `sql` in one pass.
ScanOutcome scan_sql(const std::string& sql);

}  // namespace sonamu::grammar
