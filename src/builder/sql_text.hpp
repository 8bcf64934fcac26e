#pragma once
/// The few ways text enters SQL: quoted identifiers, escaped literals (DDL only, where
/// PostgreSQL takes no parameters) and renumbered `$n` placeholders.

#include <sonamu/builder/param.hpp>
#include <sonamu/builder/sql_value.hpp>
#include <sonamu/builder/statement.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sonamu::sql {

/// One identifier in double quotes, inner quotes doubled. Throws DefinitionError when empty or
/// holding a NUL byte (`what` names the kind of identifier in the message).
std::string quote(std::string_view identifier, const char* what = "identifier");

/// knex's wrap: "schema.table" becomes "schema"."table"; `*` stays bare.
std::string wrap(std::string_view name, const char* what = "identifier");

/// `"a", "b"`: each name wrapped, joined by a comma and a space.
std::string columnize(const std::vector<std::string>& names, const char* what = "column name");

/// A string constant: quotes doubled, and with a backslash present, backslashes doubled and
/// the E'' form, so the value is the same whatever standard_conforming_strings says (knex's
/// escaping for PostgreSQL). Throws DefinitionError for a NUL byte, which text cannot hold.
std::string literal(std::string_view value);

/// `sql` with every `$n` placeholder outside quotes, comments and dollar-quoted strings
/// shifted by `offset`, so a fragment's own parameters follow those already bound.
std::string renumber(std::string_view sql, std::size_t offset);

/// A comparison operator as written into the SQL (=, <>, like, @>, ...), or DefinitionError:
/// it is SQL text, so only the known ones pass (knex's "The operator ... is not permitted").
std::string comparison_operator(const std::string& op);

/// The highest `$n` placeholder outside quotes, comments and dollar-quoted strings; 0 for none.
std::size_t highest_placeholder(std::string_view sql);

/// knex's wrap with an alias: "name as alias" (any case of `as`) is `"name" AS "alias"`.
std::string wrap_aliased(const std::string& name, const char* what = "column name");

/// A Raw with its bindings written in as literals, for DDL, which takes no parameters (knex's
/// `toQuery()`). Throws DefinitionError for a placeholder without a binding.
std::string inline_raw(const Raw& expression);

/// `sql` with each `$n` replaced by `values[n - 1]`, SQL text written in as it is (for values
/// already made literals). Throws DefinitionError, naming `method`, for a placeholder without
/// a value.
std::string inline_values(std::string_view sql, const std::vector<std::string>& values, const char* method);

/// True when `sql` holds knex's `?`, `??` or `\\?` (src/builder/knex_bindings.cpp).
bool has_knex_placeholders(const std::string& sql);

/// `sql` with knex's placeholders written in for DDL: the i-th `?` as `literals[i]`, the i-th
/// `??` as `params[i]` quoted as an identifier, `\\?` as `?`. Throws DefinitionError, naming
/// `method`, when the number of placeholders and of values differ.
std::string inline_knex_values(const std::string& sql, const std::vector<Param>& params,
                               const std::vector<std::string>& literals, const char* method);

/// knex's generated constraint and index names: `<table>_<columns>_<type>`, lower-case, with
/// `.` and `-` of the table name made `_`.
std::string index_name(const std::string& table, const std::vector<std::string>& columns,
                       const std::string& type);

/// A constraint name as knex writes it: bare when it is a plain lower-case identifier (the same
/// name to PostgreSQL, and knex's text byte for byte), quoted otherwise, so any name is safe.
std::string constraint_name(const std::string& name);

/// Accumulates a statement: text plus bindings, numbering placeholders as values are added.
class Writer {
 public:
  /// Appends SQL text as it is.
  Writer& operator<<(std::string_view text) {
    sql_ += text;
    return *this;
  }
  /// `$n` for a parameter; the expression, renumbered, for a Raw.
  void value(const SqlValue& value);
  /// `$n` for a parameter.
  void param(Param value);
  /// The finished statement.
  Statement take() && { return Statement{std::move(sql_), std::move(bindings_)}; }

 private:
  std::string sql_;
  std::vector<Param> bindings_;
};

}  // namespace sonamu::sql
