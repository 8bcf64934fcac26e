#include "core/migration_name.hpp"

#include <cctype>

namespace sonamu {

std::string migration_stem(std::string_view recorded_name) {
  const auto dot = recorded_name.rfind('.');
  if (dot == std::string_view::npos) return std::string(recorded_name);
  return std::string(recorded_name.substr(0, dot));
}

std::string stem_of_path(std::string_view path) {
  const auto slash = path.find_last_of("/\\");
  const auto base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return migration_stem(base);
}

namespace {

int two_digits(std::string_view text, std::size_t at) {
  return (text[at] - '0') * 10 + (text[at + 1] - '0');
}

}  // namespace

std::string migration_name_problem(std::string_view stem) {
  constexpr std::size_t timestamp_length = 14;
  const std::string expected = "expected YYYYMMDDHHMMSS_name";
  if (stem.size() < timestamp_length + 2) return "too short, " + expected;
  for (std::size_t i = 0; i < timestamp_length; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(stem[i]))) {
      return "does not start with a 14-digit timestamp, " + expected;
    }
  }
  if (stem[timestamp_length] != '_') return "no '_' after the timestamp, " + expected;
  const int month = two_digits(stem, 4);
  const int day = two_digits(stem, 6);
  const int hour = two_digits(stem, 8);
  const int minute = two_digits(stem, 10);
  const int second = two_digits(stem, 12);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
      second > 59) {
    return "the timestamp is not a valid date and time, " + expected;
  }
  for (char c : stem.substr(timestamp_length + 1)) {
    const auto u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '_' && c != '-') {
      return "the name may hold only letters, digits, '_' and '-'";
    }
  }
  return {};
}

std::string recorded_name(std::string_view stem, std::string_view source_file, std::string_view extension) {
  if (!extension.empty()) return std::string(stem) + std::string(extension);
  const bool sql = source_file.size() >= 4 && source_file.substr(source_file.size() - 4) == ".sql";
  return std::string(stem) + (sql ? ".sql" : ".cpp");
}

}  // namespace sonamu
