#include <sonamu/value_traits.hpp>

#include <cctype>
#include <cstdio>
#include <ctime>
#include <random>
#include <stdexcept>

namespace sonamu {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

[[noreturn]] void bad_timestamp(std::string_view text) {
  throw std::invalid_argument("not a PostgreSQL timestamp: " + std::string(text));
}

}  // namespace

Uuid Uuid::v4() {
  // One random_device per thread: a migration may create many ids.
  thread_local std::random_device device;
  thread_local std::mt19937_64 engine(
      (static_cast<std::uint64_t>(device()) << 32) ^ static_cast<std::uint64_t>(device()));
  Uuid id;
  for (std::size_t i = 0; i < 16; i += 8) {
    const std::uint64_t bits = engine();
    for (std::size_t b = 0; b < 8; ++b) id.bytes_[i + b] = static_cast<std::uint8_t>(bits >> (8 * b));
  }
  id.bytes_[6] = static_cast<std::uint8_t>((id.bytes_[6] & 0x0F) | 0x40);  // version 4
  id.bytes_[8] = static_cast<std::uint8_t>((id.bytes_[8] & 0x3F) | 0x80);  // RFC 4122 variant
  return id;
}

Uuid Uuid::parse(std::string_view text) {
  std::string_view digits = text;
  if (digits.size() >= 2 && digits.front() == '{' && digits.back() == '}') {
    digits = digits.substr(1, digits.size() - 2);
  }
  Uuid id;
  std::size_t n = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    const char c = digits[i];
    // PostgreSQL accepts a hyphen after any group of four digits.
    if (c == '-' && n > 0 && n % 4 == 0 && n < 32 && i + 1 < digits.size() && digits[i + 1] != '-') continue;
    const int value = hex_digit(c);
    if (value < 0 || n >= 32) throw std::invalid_argument("not a UUID: " + std::string(text));
    id.bytes_[n / 2] = static_cast<std::uint8_t>(id.bytes_[n / 2] | (n % 2 == 0 ? value << 4 : value));
    ++n;
  }
  if (n != 32) throw std::invalid_argument("not a UUID: " + std::string(text));
  return id;
}

std::string Uuid::str() const {
  static const char* hex = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    text += hex[bytes_[i] >> 4];
    text += hex[bytes_[i] & 0x0F];
  }
  return text;
}

namespace detail {

std::string timestamp_text(std::int64_t microseconds) {
  std::int64_t seconds = microseconds / 1000000;
  std::int64_t fraction = microseconds % 1000000;
  if (fraction < 0) {
    fraction += 1000000;
    --seconds;
  }
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm parts{};
  gmtime_r(&t, &parts);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d:%02d.%06lld+00", parts.tm_year + 1900,
                parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                static_cast<long long>(fraction));
  return buffer;
}

std::int64_t parse_timestamp(std::string_view text) {
  // ISO DateStyle: "YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM[:SS]]]" ('T' accepted between).
  const std::string s(text);
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int used = 0;
  if (std::sscanf(s.c_str(), "%d-%u-%u%*1[ T]%d:%d:%d%n", &year, &month, &day, &hour, &minute, &second,
                  &used) != 6) {
    bad_timestamp(text);
  }
  std::size_t at = static_cast<std::size_t>(used);
  std::int64_t micros = 0;
  if (at < s.size() && s[at] == '.') {
    ++at;
    int digits = 0;
    while (at < s.size() && std::isdigit(static_cast<unsigned char>(s[at]))) {
      if (digits < 6) micros = micros * 10 + (s[at] - '0');
      ++digits;
      ++at;
    }
    if (digits == 0) bad_timestamp(text);
    for (; digits < 6; ++digits) micros *= 10;
  }
  std::int64_t offset_seconds = 0;
  if (at < s.size() && (s[at] == '+' || s[at] == '-')) {
    const int sign = s[at] == '-' ? -1 : 1;
    int oh = 0;
    int om = 0;
    int os = 0;
    if (std::sscanf(s.c_str() + at + 1, "%d:%d:%d", &oh, &om, &os) < 1) bad_timestamp(text);
    offset_seconds = sign * (oh * 3600 + om * 60 + os);
    at = s.size();
  }
  if (at != s.size() || month < 1 || month > 12 || day < 1 || day > 31) bad_timestamp(text);
  const std::int64_t days = days_from_civil(year, month, day);
  const std::int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  return seconds * 1000000 + micros;
}

}  // namespace detail

}  // namespace sonamu
