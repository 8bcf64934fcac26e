#pragma once
/// How C++ values are written to and read from PostgreSQL's text format, beyond strings and
/// numbers: time points (timestamp, timestamptz), uuids, and any type given a ValueTraits.
///
///     knex("events").insert({{"id", sonamu::Uuid::v4()}, {"at", std::chrono::system_clock::now()}});
///     auto at = rows[0]["at"].as<std::chrono::system_clock::time_point>();
///
/// `#include <sonamu/json.hpp>` adds nlohmann::json (json, jsonb).

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace sonamu {

/// Specialise with `static std::string to_text(const T&)` to bind a T, and
/// `static T from_text(const std::string&)` to read one with `as<T>()`.
template <typename T, typename = void>
struct ValueTraits {};

/// A UUID (PostgreSQL's uuid type).
class Uuid {
 public:
  /// The nil UUID, all zeros.
  Uuid() = default;
  /// A random (version 4) UUID from the system's random source.
  static Uuid v4();
  /// Reads `8-4-4-4-12` hexadecimal digits (either case, braces allowed, as PostgreSQL
  /// accepts). Throws std::invalid_argument.
  static Uuid parse(std::string_view text);
  /// The canonical lower-case `8-4-4-4-12` form.
  std::string str() const;
  /// The 16 bytes, most significant first.
  const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }

  bool operator==(const Uuid& other) const { return bytes_ == other.bytes_; }
  bool operator!=(const Uuid& other) const { return bytes_ != other.bytes_; }

 private:
  std::array<std::uint8_t, 16> bytes_{};
};

template <>
struct ValueTraits<Uuid> {
  static std::string to_text(const Uuid& value) { return value.str(); }
  static Uuid from_text(const std::string& text) { return Uuid::parse(text); }
};

namespace detail {
/// `YYYY-MM-DD HH:MM:SS.ffffff+00`: microseconds since the epoch, in UTC.
std::string timestamp_text(std::int64_t microseconds);
/// Microseconds since the epoch from PostgreSQL's ISO output of timestamp (read as UTC) or
/// timestamptz (any offset). Throws std::invalid_argument.
std::int64_t parse_timestamp(std::string_view text);
}  // namespace detail

/// system_clock time points, bound in UTC with microseconds (PostgreSQL's precision).
template <typename Duration>
struct ValueTraits<std::chrono::time_point<std::chrono::system_clock, Duration>> {
  using TimePoint = std::chrono::time_point<std::chrono::system_clock, Duration>;
  static std::string to_text(const TimePoint& value) {
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(value.time_since_epoch());
    return detail::timestamp_text(static_cast<std::int64_t>(micros.count()));
  }
  static TimePoint from_text(const std::string& text) {
    const std::chrono::microseconds micros(detail::parse_timestamp(text));
    return TimePoint(std::chrono::duration_cast<Duration>(micros));
  }
};

}  // namespace sonamu
