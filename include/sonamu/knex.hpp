#pragma once
/// The handle a migration's `up` and `down` receive, in the spirit of knex's `knex` parameter.
///
/// Everything executed through it runs inside the migration's transaction. Values are always
/// sent as bound parameters (`$1`, `$2`, ... in the SQL text), never spliced into it.

#include <sonamu/result.hpp>

#include <charconv>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace sonamu {

/// A bound parameter in PostgreSQL's text format; `std::nullopt` is SQL NULL.
using Param = std::optional<std::string>;

/// Converts a C++ value to a bound parameter. Overloads cover strings, booleans, numbers,
/// `nullptr` and `std::optional` of any of these.
inline Param to_param(std::nullptr_t) { return std::nullopt; }
inline Param to_param(std::string value) { return Param{std::move(value)}; }
inline Param to_param(std::string_view value) { return Param{std::string(value)}; }
inline Param to_param(const char* value) {
  return value == nullptr ? Param{} : Param{std::string(value)};
}
inline Param to_param(bool value) { return Param{value ? "true" : "false"}; }

template <typename Number,
          typename = std::enable_if_t<std::is_arithmetic_v<Number> && !std::is_same_v<Number, bool>>>
Param to_param(Number value) {
  // to_chars gives the shortest text that reads back to the same value (no locale, no
  // rounding), which is what PostgreSQL should receive for a float as much as an int.
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  (void)ec;  // 64 bytes hold any arithmetic value
  return Param{std::string(buffer, end)};
}

template <typename T>
Param to_param(const std::optional<T>& value) {
  return value ? to_param(*value) : Param{};
}

inline Param to_param(Param value) { return value; }

/// The migration handle. `raw` runs SQL; a knex-style schema builder is added alongside it
/// without changing migrations that use `raw`.
class Knex {
 public:
  virtual ~Knex() = default;

  /// Runs `sql` with its parameters bound in order to `$1`, `$2`, ... and returns the rows.
  /// Without parameters, `sql` may hold several statements separated by semicolons.
  template <typename... Args>
  Result raw(std::string_view sql, Args&&... args) {
    std::vector<Param> params;
    params.reserve(sizeof...(args));
    (params.push_back(to_param(std::forward<Args>(args))), ...);
    return execute(std::string(sql), params);
  }

  /// knex's `raw(sql, bindings)`: the parameters given as one list.
  /// (Taken by value so that it wins over the variadic overload for any vector argument.)
  Result raw(std::string_view sql, std::vector<Param> bindings) {
    return execute(std::string(sql), bindings);
  }

 protected:
  /// Runs one SQL text inside the migration's transaction.
  virtual Result execute(const std::string& sql, const std::vector<Param>& params) = 0;
};

}  // namespace sonamu
