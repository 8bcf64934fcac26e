#pragma once
/// Bound parameters: how a C++ value travels to PostgreSQL next to the SQL text.

#include <sonamu/value_traits.hpp>

#include <charconv>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

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

/// Any type with a ValueTraits: uuids, time points, nlohmann::json (with <sonamu/json.hpp>).
template <typename T, typename = decltype(ValueTraits<T>::to_text(std::declval<const T&>()))>
Param to_param(const T& value) {
  return Param{ValueTraits<T>::to_text(value)};
}

template <typename T>
Param to_param(const std::optional<T>& value) {
  return value ? to_param(*value) : Param{};
}

inline Param to_param(Param value) { return value; }

}  // namespace sonamu
