#pragma once
/// Values the builders accept: a bound parameter, or an SQL expression (knex's `raw`).

#include <sonamu/builder/param.hpp>

#include <cstddef>
#include <initializer_list>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace sonamu {

/// An SQL fragment used where a value is expected, as knex's `knex.raw(...)` is inside
/// `update({...})` or `defaultTo(...)`. Its own parameters are numbered `$1`, `$2`, ... and
/// are renumbered when the fragment is placed inside a larger statement.
struct Raw {
  std::string sql;
  std::vector<Param> bindings;
};

class RawQuery;

namespace detail {
template <typename T, typename = void>
struct is_bindable : std::false_type {};
template <typename T>
struct is_bindable<T, std::void_t<decltype(to_param(std::declval<T>()))>> : std::true_type {};
}  // namespace detail

/// A value in a row, a condition or a default: either bound as a parameter or, for a Raw,
/// written into the SQL as the expression it is.
class SqlValue {
 public:
  /// Any value `to_param` accepts (strings, numbers, booleans, nullptr, optionals).
  template <typename T, typename = std::enable_if_t<
                            detail::is_bindable<T>::value &&
                            !std::is_same_v<std::decay_t<T>, Raw> &&
                            !std::is_same_v<std::decay_t<T>, SqlValue>>>
  SqlValue(T&& value) : value_(to_param(std::forward<T>(value))) {}  // NOLINT: implicit on purpose
  SqlValue(Raw expression) : value_(std::move(expression)) {}       // NOLINT: implicit on purpose
  /// `knex.raw(...)` written as a value: its SQL text, which then never runs as a statement.
  SqlValue(const RawQuery& query);  // NOLINT: implicit on purpose

  /// True for a Raw expression.
  bool is_raw() const { return std::holds_alternative<Raw>(value_); }
  /// True for a bound SQL NULL.
  bool is_null() const { return !is_raw() && !std::get<Param>(value_).has_value(); }
  /// The parameter; only when `!is_raw()`.
  const Param& param() const { return std::get<Param>(value_); }
  /// The expression; only when `is_raw()`.
  const Raw& expression() const { return std::get<Raw>(value_); }

 private:
  std::variant<Param, Raw> value_;
};

/// knex's named bindings, `{ name: value }`: `{{"id", 5}, {"col", "email"}}` for `:id` (a value)
/// and `:col:` (an identifier). A class of its own, so that a braced list is never read as
/// positional values.
class NamedBindings {
 public:
  using Entry = std::pair<std::string, SqlValue>;
  NamedBindings(std::initializer_list<Entry> entries) : entries_(entries) {}  // NOLINT: implicit on purpose
  explicit NamedBindings(std::vector<Entry> entries) : entries_(std::move(entries)) {}
  /// The value bound to `name`, or null when there is none.
  const SqlValue* find(const std::string& name) const {
    for (const auto& entry : entries_) {
      if (entry.first == name) return &entry.second;
    }
    return nullptr;
  }

 private:
  std::vector<Entry> entries_;
};

namespace detail {
/// knex's `raw(sql, [bindings])`: each `?` becomes a `$n` parameter (a Raw binding is written
/// in), each `??` the binding as a quoted identifier, `\\?` a literal `?`. SQL without any `?`
/// keeps PostgreSQL's own `$n` placeholders. Throws DefinitionError, quoting the SQL, when the
/// number of placeholders and of bindings differ.
Raw knex_raw(std::string sql, std::vector<SqlValue> bindings);
/// knex's `raw(sql, { name: value })`: `:name` a value, `:name:` an identifier, `\\:name` the
/// text `:name`; a name without a binding stays as written (a `::type` cast, as in knex).
Raw knex_raw(const std::string& sql, const NamedBindings& bindings);
/// `std::vector<Param>` or `std::vector<SqlValue>`: bindings given as one list.
template <typename T>
constexpr bool is_binding_list = std::is_same_v<T, std::vector<Param>> || std::is_same_v<T, std::vector<SqlValue>>;
}  // namespace detail

/// Makes a Raw fragment with knex's placeholders, `sonamu::raw("?? + ?", "price", 5)` (knex's
/// `raw(sql, [values])`), or with PostgreSQL's, `sonamu::raw("$1 + 1", 5)`. (`knex.raw(...)`
/// written as a value is the same; written as a statement it runs.)
template <typename... Args,
          typename = std::enable_if_t<(std::is_constructible_v<SqlValue, Args&&> && ...)>>
Raw raw(std::string sql, Args&&... args) {
  std::vector<SqlValue> bindings;
  bindings.reserve(sizeof...(args));
  (bindings.emplace_back(std::forward<Args>(args)), ...);
  return detail::knex_raw(std::move(sql), std::move(bindings));
}

/// The values in one vector. (A template: a braced list is always the named form below.)
template <typename List, typename = std::enable_if_t<detail::is_binding_list<List>>>
Raw raw(std::string sql, const List& bindings) {
  return detail::knex_raw(std::move(sql), std::vector<SqlValue>(bindings.begin(), bindings.end()));
}

/// knex's `raw(sql, { name: value })`:
/// `sonamu::raw("select :col: from t where id = :id", {{"col", "a"}, {"id", 5}})`.
inline Raw raw(const std::string& sql, const NamedBindings& bindings) { return detail::knex_raw(sql, bindings); }

/// One row for `insert` or `update`: column names and values, in the order written, as in
/// `{{"email", "a@b.c"}, {"age", 3}}`. (A class rather than a vector alias so that a braced
/// row never reads as a list of rows.)
class Row {
 public:
  using Entry = std::pair<std::string, SqlValue>;

  Row() = default;
  Row(std::initializer_list<Entry> entries) : entries_(entries) {}
  explicit Row(std::vector<Entry> entries) : entries_(std::move(entries)) {}

  /// Adds a column at the end.
  Row& add(std::string column, SqlValue value) {
    entries_.emplace_back(std::move(column), std::move(value));
    return *this;
  }
  /// True for a row without columns.
  bool empty() const { return entries_.empty(); }
  /// Number of columns.
  std::size_t size() const { return entries_.size(); }
  /// Column `index`: its name and value.
  const Entry& operator[](std::size_t index) const { return entries_[index]; }
  /// Iteration over the columns, in the order written.
  std::vector<Entry>::const_iterator begin() const { return entries_.begin(); }
  std::vector<Entry>::const_iterator end() const { return entries_.end(); }

 private:
  std::vector<Entry> entries_;
};

}  // namespace sonamu
