#include <sonamu/knex.hpp>
#include <sonamu/sql_script.hpp>

#include <cctype>

namespace sonamu {

namespace {

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

/// The dollar-quote tag starting at `at` ("$$" or "$tag$"), or empty when there is none.
std::string_view dollar_tag(std::string_view text, std::size_t at) {
  if (at > 0) {
    // `$1` or `a$b`: a tag cannot follow an identifier character.
    const char before = text[at - 1];
    if (std::isalnum(static_cast<unsigned char>(before)) != 0 || before == '_') return {};
  }
  std::size_t end = at + 1;
  while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) != 0 || text[end] == '_')) {
    ++end;
  }
  if (end >= text.size() || text[end] != '$') return {};
  if (end > at + 1 && std::isdigit(static_cast<unsigned char>(text[at + 1])) != 0) return {};
  return text.substr(at, end - at + 1);
}

}  // namespace

std::vector<std::string> split_sql_statements(std::string_view script) {
  std::vector<std::string> statements;
  std::size_t start = 0;
  bool has_code = false;  // the current piece holds more than comments and spaces
  // A statement starts at its first code character: comments before it are left out, so the
  // statement reads as what it is (the data-loss report looks at how it begins).
  auto mark = [&](std::size_t at) {
    if (!has_code) start = at;
    has_code = true;
  };
  auto finish = [&](std::size_t end) {
    if (has_code) {
      std::string_view piece = script.substr(start, end - start);
      while (!piece.empty() && is_space(piece.front())) piece.remove_prefix(1);
      while (!piece.empty() && is_space(piece.back())) piece.remove_suffix(1);
      statements.emplace_back(piece);
    }
    has_code = false;
  };
  std::size_t i = 0;
  while (i < script.size()) {
    const char c = script[i];
    const char next = i + 1 < script.size() ? script[i + 1] : '\0';
    if (c == '-' && next == '-') {
      while (i < script.size() && script[i] != '\n') ++i;
    } else if (c == '/' && next == '*') {
      int depth = 0;
      do {
        if (script.compare(i, 2, "/*") == 0) {
          ++depth;
          i += 2;
        } else if (script.compare(i, 2, "*/") == 0) {
          --depth;
          i += 2;
        } else {
          ++i;
        }
      } while (depth > 0 && i < script.size());
    } else if (c == '\'' || c == '"') {
      // E'...' strings take backslash escapes; a doubled quote stays inside in every form.
      const bool escapes = c == '\'' && i > 0 && (script[i - 1] == 'E' || script[i - 1] == 'e');
      mark(i);
      ++i;
      while (i < script.size()) {
        if (escapes && script[i] == '\\') {
          i += 2;
        } else if (script[i] == c) {
          if (i + 1 < script.size() && script[i + 1] == c) {
            i += 2;
          } else {
            ++i;
            break;
          }
        } else {
          ++i;
        }
      }
    } else if (c == '$' && !dollar_tag(script, i).empty()) {
      const auto tag = dollar_tag(script, i);
      mark(i);
      const auto close = script.find(tag, i + tag.size());
      i = close == std::string_view::npos ? script.size() : close + tag.size();
    } else if (c == ';') {
      finish(i);
      ++i;
      start = i;
    } else {
      if (!is_space(c)) mark(i);
      ++i;
    }
  }
  finish(script.size());
  return statements;
}

void run_sql_script(Knex& knex, std::string_view script) {
  // Sent as written: knex's placeholders and escapes (`?`, `\\?`) belong to knex.raw, not to SQL files.
  for (const auto& statement : split_sql_statements(script)) RawQuery(knex, Raw{statement, {}}).rows();
}

}  // namespace sonamu
