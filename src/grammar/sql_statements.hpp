#pragma once
/// SQL text cut into its statements by PostgreSQL's own grammar (libpg_query's parser, the
/// parser of PostgreSQL 15): a semicolon ends a statement only where the grammar says so, so a
/// SQL-standard function body (BEGIN ATOMIC ... END), a rule with several actions
/// (DO ALSO (...; ...)), strings, quoted names, dollar-quoted bodies and comments stay inside
/// the statement that holds them.

#include <cstddef>
#include <string>
#include <vector>

namespace sonamu::grammar {

/// Where one statement is in the text: from its first word (comments and white space before
/// it are left out, so it reads as what it is) to its last character before the semicolon
/// that ends it (white space left out).
struct SqlStatement {
  std::size_t start = 0;
  std::size_t end = 0;  ///< one past its last byte
};

/// The statements of a text, or why the grammar cannot read it and where.
struct SplitOutcome {
  std::vector<SqlStatement> statements;  ///< in order; empty statements (`;;`) are none
  bool ok = true;
  std::string error;         ///< PostgreSQL's message, one line, when not ok
  std::size_t error_at = 0;  ///< where in the text, when not ok
};

/// Splits `sql` in one pass of the parser. Text the parser cannot read is not split at all: a
/// guess (a scanner that only sees semicolons) would cut a BEGIN ATOMIC body apart.
SplitOutcome split_statements(const std::string& sql);

/// The text of each statement of a successful split, in order.
std::vector<std::string> statement_texts(const std::string& sql, const SplitOutcome& split);

}  // namespace sonamu::grammar
