#include "builder/sql_text.hpp"

#include <sonamu/builder/definition_error.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace sonamu::sql {

std::string quote(std::string_view identifier, const char* what) {
  if (identifier.empty()) throw DefinitionError(std::string("empty ") + what);
  std::string quoted = "\"";
  for (const char c : identifier) {
    if (c == '\0') throw DefinitionError(std::string(what) + " contains a NUL byte");
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

std::string wrap(std::string_view name, const char* what) {
  if (name == "*") return "*";
  if (name.empty()) throw DefinitionError(std::string("empty ") + what);
  std::string wrapped;
  std::size_t start = 0;
  for (;;) {
    const auto dot = name.find('.', start);
    if (!wrapped.empty()) wrapped += '.';
    const auto part = name.substr(start, dot == std::string_view::npos ? dot : dot - start);
    wrapped += part == "*" ? std::string("*") : quote(part, what);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return wrapped;
}

std::string columnize(const std::vector<std::string>& names, const char* what) {
  if (names.empty()) throw DefinitionError(std::string("no ") + what + " given");
  std::string text;
  for (const auto& name : names) {
    if (!text.empty()) text += ", ";
    text += wrap(name, what);
  }
  return text;
}

std::string literal(std::string_view value) {
  bool backslash = false;
  std::string escaped = "'";
  for (const char c : value) {
    if (c == '\0') throw DefinitionError("a text value cannot contain a NUL byte");
    if (c == '\'' || c == '\\') escaped += c;
    if (c == '\\') backslash = true;
    escaped += c;
  }
  escaped += '\'';
  return backslash ? "E" + escaped : escaped;
}

namespace {

bool is_tag_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

/// Index just past a quoted section opened at `i` and closed by `close` (doubled = escaped).
std::size_t skip_quoted(std::string_view sql, std::size_t i, char close) {
  for (++i; i < sql.size(); ++i) {
    if (sql[i] == close) {
      if (i + 1 < sql.size() && sql[i + 1] == close) {
        ++i;
        continue;
      }
      return i + 1;
    }
  }
  return sql.size();
}

/// Copies `sql`, replacing each `$n` placeholder outside quotes, comments and dollar-quoted
/// strings by `replace(n)`.
template <typename Replace>
std::string rewrite_placeholders(std::string_view sql, const Replace& replace) {
  std::string out;
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    std::size_t next = i + 1;
    if (c == '\'' || c == '"') {
      next = skip_quoted(sql, i, c);
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      next = sql.find('\n', i);
      if (next == std::string_view::npos) next = sql.size();
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      next = sql.find("*/", i + 2);
      next = next == std::string_view::npos ? sql.size() : next + 2;
    } else if (c == '$' && i + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      // A placeholder, unless the `$` continues an identifier such as `a$1`.
      const bool in_word = i > 0 && is_tag_char(sql[i - 1]);
      std::size_t end = i + 1;
      while (end < sql.size() && std::isdigit(static_cast<unsigned char>(sql[end]))) ++end;
      if (!in_word) {
        out += replace(std::stoul(std::string(sql.substr(i + 1, end - i - 1))));
        i = end;
        continue;
      }
      next = end;
    } else if (c == '$' && (i == 0 || !is_tag_char(sql[i - 1]))) {
      // A dollar-quoted string: $tag$ ... $tag$.
      std::size_t end = i + 1;
      while (end < sql.size() && is_tag_char(sql[end])) ++end;
      if (end < sql.size() && sql[end] == '$') {
        const auto tag = sql.substr(i, end - i + 1);
        const auto close = sql.find(tag, end + 1);
        next = close == std::string_view::npos ? sql.size() : close + tag.size();
      }
    }
    out.append(sql.substr(i, next - i));
    i = next;
  }
  return out;
}

}  // namespace

std::string renumber(std::string_view sql, std::size_t offset) {
  if (offset == 0) return std::string(sql);
  return rewrite_placeholders(sql, [&](std::size_t n) { return "$" + std::to_string(n + offset); });
}

/// The operator as written into the SQL, or DefinitionError: the operator is SQL text, so
/// only the known ones pass (as knex's "The operator ... is not permitted").
std::string comparison_operator(const std::string& op) {
  static const std::array<std::pair<const char*, const char*>, 21> permitted{{
      {"=", "="},       {"<", "<"},           {">", ">"},         {"<=", "<="},
      {">=", ">="},     {"<>", "<>"},         {"!=", "!="},       {"like", "LIKE"},
      {"not like", "NOT LIKE"}, {"ilike", "ILIKE"}, {"not ilike", "NOT ILIKE"}, {"~", "~"},
      {"~*", "~*"},     {"!~", "!~"},         {"!~*", "!~*"},     {"@>", "@>"},
      {"<@", "<@"},     {"&&", "&&"},         {"?", "?"},         {"?|", "?|"},
      {"?&", "?&"},
  }};
  std::string key = op;
  for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [name, sql] : permitted) {
    if (key == name) return sql;
  }
  throw DefinitionError("The operator \"" + op + "\" is not permitted");
}

std::size_t highest_placeholder(std::string_view sql) {
  std::size_t highest = 0;
  rewrite_placeholders(sql, [&](std::size_t n) {
    highest = std::max(highest, n);
    return std::string();
  });
  return highest;
}

std::string wrap_aliased(const std::string& name, const char* what) {
  std::string lowered = name;
  for (auto& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto as = lowered.find(" as ");
  if (as == std::string::npos) return wrap(name, what);
  return wrap(name.substr(0, as), what) + " AS " + quote(name.substr(as + 4), "alias");
}

std::string inline_raw(const Raw& expression) {
  return rewrite_placeholders(expression.sql, [&](std::size_t n) {
    if (n == 0 || n > expression.bindings.size()) {
      throw DefinitionError("raw(\"" + expression.sql + "\"): $" + std::to_string(n) +
                            " has no binding");
    }
    const auto& value = expression.bindings[n - 1];
    return value ? literal(*value) : std::string("NULL");
  });
}

std::string inline_values(std::string_view sql, const std::vector<std::string>& values, const char* method) {
  return rewrite_placeholders(sql, [&](std::size_t n) {
    if (n == 0 || n > values.size()) {
      throw DefinitionError(std::string(method) + "(\"" + std::string(sql) + "\"): $" + std::to_string(n) +
                            " has no binding");
    }
    return values[n - 1];
  });
}

std::string index_name(const std::string& table, const std::vector<std::string>& columns,
                       const std::string& type) {
  std::string name;
  for (const char c : table) name += (c == '.' || c == '-') ? '_' : c;
  name += '_';
  for (std::size_t i = 0; i < columns.size(); ++i) name += (i > 0 ? "_" : "") + columns[i];
  name += "_" + type;
  // knex lower-cases with JavaScript's toLowerCase; for the ASCII names in practice the same.
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return quote(name, "index name");
}

std::string constraint_name(const std::string& name) {
  bool plain = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (const char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) plain = false;
  }
  return plain ? name : quote(name, "constraint name");
}

void Writer::param(Param value) {
  bindings_.push_back(std::move(value));
  sql_ += "$" + std::to_string(bindings_.size());
}

void Writer::value(const SqlValue& value) {
  if (!value.is_raw()) {
    param(value.param());
    return;
  }
  const Raw& expression = value.expression();
  sql_ += renumber(expression.sql, bindings_.size());
  bindings_.insert(bindings_.end(), expression.bindings.begin(), expression.bindings.end());
}

}  // namespace sonamu::sql
