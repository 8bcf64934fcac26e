// knex's placeholders in `raw(sql, bindings)`, turned into PostgreSQL's `$n` parameters the way
// knex 3 does it for the pg client (its replaceRawArrBindings / replaceKeyBindings, then
// positionBindings), so that a ported `knex.raw` sends the same text and values.
#include "builder/sql_text.hpp"

#include <sonamu/builder/definition_error.hpp>
#include <sonamu/builder/sql_value.hpp>

#include <cctype>
#include <string>
#include <utility>
#include <vector>

namespace sonamu::detail {

namespace {

/// The statement as an error message names it: its SQL, cut after 120 bytes.
std::string statement_name(const std::string& sql) {
  const std::size_t limit = 120;
  return "knex.raw(\"" + (sql.size() > limit ? sql.substr(0, limit) + "..." : sql) + "\")";
}

/// Appends one value: a `$n` parameter, or a Raw expression with its parameters renumbered.
void append_value(std::string& out, std::vector<Param>& params, const SqlValue& value) {
  if (!value.is_raw()) {
    params.push_back(value.param());
    out += "$" + std::to_string(params.size());
    return;
  }
  out += sql::renumber(value.expression().sql, params.size());
  params.insert(params.end(), value.expression().bindings.begin(), value.expression().bindings.end());
}

/// Appends one identifier binding (`??`, `:name:`): knex wraps its text, "a.b" and "a as b" too.
void append_identifier(std::string& out, const SqlValue& value, const std::string& sql) {
  if (value.is_raw()) {
    out += value.expression().sql;  // knex writes a raw identifier in as it is
    return;
  }
  if (!value.param()) throw DefinitionError(statement_name(sql) + ": an identifier binding is null");
  out += sql::wrap_aliased(*value.param(), "identifier binding");
}

/// The number of knex placeholders (`?` and `??`, not `\?`) and whether an escape occurs.
std::pair<std::size_t, bool> count_question_marks(const std::string& sql) {
  std::size_t count = 0;
  bool escaped = false;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '\\' && i + 1 < sql.size() && sql[i + 1] == '?') {
      // knex reads `\??` as one value placeholder, `\?` as an escaped question mark.
      const bool value = i + 2 < sql.size() && sql[i + 2] == '?';
      count += value ? 1 : 0;
      escaped = escaped || !value;
      i += value ? 2 : 1;
    } else if (sql[i] == '?') {
      ++count;
      if (i + 1 < sql.size() && sql[i + 1] == '?') ++i;
    }
  }
  return {count, escaped};
}

/// `sql` with `\?` made `?`, everything else as written (knex's positionBindings without values).
std::string unescape_question_marks(const std::string& sql) {
  std::string out;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '\\' && i + 1 < sql.size() && sql[i + 1] == '?') continue;
    out += sql[i];
  }
  return out;
}

/// SQL that uses PostgreSQL's own `$n`: kept as written, with exactly as many values as `$n`.
Raw native_raw(std::string sql, std::vector<SqlValue> bindings) {
  const std::size_t highest = sql::highest_placeholder(sql);
  if (highest > bindings.size()) {
    throw DefinitionError(statement_name(sql) + ": $" + std::to_string(highest) + " has no binding (" +
                          std::to_string(bindings.size()) + " given; knex's ? and ?? work too)");
  }
  if (highest < bindings.size()) {
    throw DefinitionError(statement_name(sql) + ": " + std::to_string(bindings.size()) +
                          " binding(s) given, but the SQL has " + std::to_string(highest) +
                          " placeholder(s) (? or ?? as in knex, or $1, $2, ...)");
  }
  Raw fragment{std::move(sql), {}};
  for (const auto& value : bindings) {
    if (value.is_raw()) throw DefinitionError(statement_name(fragment.sql) + ": a raw value binds only to a ?");
    fragment.bindings.push_back(value.param());
  }
  return fragment;
}

/// `sql` with `\\?` made `?` and each `?` / `??` (the i-th placeholder) written by
/// `value(out, i)` / `identifier(out, i)`, as knex's replaceRawArrBindings reads them.
template <typename Value, typename Identifier>
std::string walk_question_marks(const std::string& sql, const Value& value, const Identifier& identifier) {
  std::string out;
  std::size_t next = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const bool backslash = sql[i] == '\\' && i + 1 < sql.size() && sql[i + 1] == '?';
    if (backslash && !(i + 2 < sql.size() && sql[i + 2] == '?')) {
      out += '?';
      ++i;
    } else if (backslash || sql[i] == '?') {
      const bool is_identifier = !backslash && i + 1 < sql.size() && sql[i + 1] == '?';
      if (is_identifier) {
        identifier(out, next++);
      } else {
        value(out, next++);
      }
      i += backslash || is_identifier ? 1 : 0;
    } else {
      out += sql[i];
    }
  }
  return out;
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

}  // namespace

Raw knex_raw(std::string sql, std::vector<SqlValue> bindings) {
  const auto [count, escaped] = count_question_marks(sql);
  if (bindings.empty()) {
    // Without values knex only unescapes `\?`. It would also number a bare `?` as `$1` and
    // send it without a value; here it stays a `?` (the jsonb operator it usually is).
    return Raw{escaped ? unescape_question_marks(sql) : std::move(sql), {}};
  }
  if (count == 0 && !escaped) return native_raw(std::move(sql), std::move(bindings));
  if (sql::highest_placeholder(sql) > 0) {
    throw DefinitionError(statement_name(sql) + ": mixes knex's ? with PostgreSQL's $n placeholders");
  }
  if (count != bindings.size()) {
    throw DefinitionError(statement_name(sql) + ": " + std::to_string(bindings.size()) +
                          " binding(s) given for " + std::to_string(count) +
                          " placeholder(s) (? for a value, ?? for an identifier; \\\\? is a literal ?)");
  }
  Raw fragment;
  fragment.sql = walk_question_marks(
      sql, [&](std::string& out, std::size_t i) { append_value(out, fragment.bindings, bindings[i]); },
      [&](std::string& out, std::size_t i) { append_identifier(out, bindings[i], sql); });
  return fragment;
}

Raw knex_raw(const std::string& sql, const NamedBindings& bindings) {
  if (sql::highest_placeholder(sql) > 0) {
    throw DefinitionError(statement_name(sql) + ": mixes knex's :name with PostgreSQL's $n placeholders");
  }
  Raw fragment;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const bool escape = sql[i] == '\\' && i + 2 < sql.size() && sql[i + 1] == ':' && is_word_char(sql[i + 2]);
    if (escape || (sql[i] == '\\' && i + 1 < sql.size() && sql[i + 1] == '?')) continue;  // knex drops the backslash
    if (sql[i] != ':' || i + 1 >= sql.size() || !is_word_char(sql[i + 1]) ||
        (i > 0 && sql[i - 1] == '\\')) {
      fragment.sql += sql[i];
      continue;
    }
    std::size_t end = i + 1;
    while (end < sql.size() && is_word_char(sql[end])) ++end;
    const std::string name = sql.substr(i + 1, end - i - 1);
    // `:name:` is an identifier unless the colon starts a `::` cast (`:name::text` is a value).
    const bool identifier = end < sql.size() && sql[end] == ':' &&
                            (sql.compare(end + 1, 2, "::") == 0 || end + 1 >= sql.size() || sql[end + 1] != ':');
    const std::size_t match_end = identifier ? end + 1 : end;
    const SqlValue* value = bindings.find(name);
    if (value == nullptr) {
      fragment.sql += sql.substr(i, match_end - i);  // as knex: no binding, no change
    } else if (identifier) {
      append_identifier(fragment.sql, *value, sql);
    } else {
      append_value(fragment.sql, fragment.bindings, *value);
    }
    i = match_end - 1;
  }
  return fragment;
}

}  // namespace sonamu::detail

namespace sonamu::sql {

bool has_knex_placeholders(const std::string& sql) {
  const auto [count, escaped] = detail::count_question_marks(sql);
  return count > 0 || escaped;
}

std::string inline_knex_values(const std::string& sql, const std::vector<Param>& params,
                               const std::vector<std::string>& literals, const char* method) {
  const auto [count, escaped] = detail::count_question_marks(sql);
  (void)escaped;
  if (count != params.size()) {
    throw DefinitionError(std::string(method) + "(\"" + sql + "\"): " + std::to_string(params.size()) +
                          " binding(s) given for " + std::to_string(count) + " placeholder(s) (? for a value, ?? for an identifier)");
  }
  return detail::walk_question_marks(
      sql, [&](std::string& out, std::size_t i) { out += literals[i]; },
      [&](std::string& out, std::size_t i) {
        if (!params[i]) throw DefinitionError(std::string(method) + "(\"" + sql + "\"): an identifier binding is null");
        out += wrap_aliased(*params[i], "identifier binding");
      });
}

}  // namespace sonamu::sql
