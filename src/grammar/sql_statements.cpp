#include "grammar/sql_statements.hpp"

#include "grammar/sql_tokens.hpp"

#include <pg_query.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace sonamu::grammar {

namespace {

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

/// Where the first word of a statement starting at `at` is. The parser places a statement
/// right after the semicolon before it, so white space, `--` comments and nested `/* */`
/// comments come first; between statements these are the only things the scanner can meet,
/// so skipping them needs no more than this.
std::size_t skip_blanks(const std::string& sql, std::size_t at, std::size_t end) {
  while (at < end) {
    if (is_space(sql[at])) {
      ++at;
    } else if (sql.compare(at, 2, "--") == 0) {
      while (at < end && sql[at] != '\n') ++at;
    } else if (sql.compare(at, 2, "/*") == 0) {
      int depth = 0;
      do {
        if (sql.compare(at, 2, "/*") == 0) {
          ++depth;
          at += 2;
        } else if (sql.compare(at, 2, "*/") == 0) {
          --depth;
          at += 2;
        } else {
          ++at;
        }
      } while (depth > 0 && at < end);
    } else {
      break;
    }
  }
  return at;
}

}  // namespace

SplitOutcome split_statements(const std::string& sql) {
  const std::unique_ptr<PgQuerySplitResult, void (*)(PgQuerySplitResult*)> split(
      new PgQuerySplitResult(pg_query_split_with_parser(sql.c_str())), [](PgQuerySplitResult* result) {
        pg_query_free_split_result(*result);
        delete result;
      });
  SplitOutcome outcome;
  if (split->error != nullptr) {
    outcome.ok = false;
    const std::string message = split->error->message != nullptr ? split->error->message : "the SQL does not parse";
    outcome.error = message.substr(0, message.find('\n'));
    outcome.error_at = error_offset(sql, split->error->cursorpos);
    return outcome;
  }
  for (int i = 0; i < split->n_stmts; ++i) {
    const auto location = static_cast<std::size_t>(split->stmts[i]->stmt_location);
    // The last statement's length is 0 when it runs to the end of the text.
    const auto length = static_cast<std::size_t>(split->stmts[i]->stmt_len);
    std::size_t end = length == 0 ? sql.size() : std::min(sql.size(), location + length);
    const std::size_t start = skip_blanks(sql, location, end);
    while (end > start && is_space(sql[end - 1])) --end;
    if (end > start) outcome.statements.push_back({start, end});
  }
  return outcome;
}

std::vector<std::string> statement_texts(const std::string& sql, const SplitOutcome& split) {
  std::vector<std::string> texts;
  texts.reserve(split.statements.size());
  for (const auto& statement : split.statements) texts.push_back(sql.substr(statement.start, statement.end - statement.start));
  return texts;
}

}  // namespace sonamu::grammar
