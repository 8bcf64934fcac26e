#include "core/data_loss.hpp"

#include <regex>

namespace sonamu {

namespace {

// An identifier: "quoted" (with "" inside) or bare; optionally schema-qualified.
const std::string identifier = R"((?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*))";
const std::string qualified = identifier + R"((?:\s*\.\s*)" + identifier + ")?";

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

/// The parts of a possibly qualified name, each as the server sees it (quotes removed, ""
/// unescaped; bare names folded to lower case).
std::vector<std::string> name_parts(const std::string& qualified_name) {
  static const std::regex part(identifier);
  std::vector<std::string> parts;
  for (auto it = std::sregex_iterator(qualified_name.begin(), qualified_name.end(), part);
       it != std::sregex_iterator(); ++it) {
    const std::string text = it->str();
    if (text.front() != '"') {
      parts.push_back(lower(text));
      continue;
    }
    std::string plain;
    for (std::size_t i = 1; i + 1 < text.size(); ++i) {
      plain += text[i];
      if (text[i] == '"') ++i;  // "" stands for one quote
    }
    parts.push_back(plain);
  }
  return parts;
}

/// "s"."t" → s.t, for people.
std::string display_name(const std::string& qualified_name) {
  std::string shown;
  for (const auto& part : name_parts(qualified_name)) shown += (shown.empty() ? "" : ".") + part;
  return shown;
}

/// Users → "users", "s"."T" → "s"."T": quoted exactly as the server resolves it.
std::string as_quoted(const std::string& qualified_name) {
  std::string quoted;
  for (const auto& part : name_parts(qualified_name)) {
    std::string escaped;
    for (char c : part) escaped += c == '"' ? std::string("\"\"") : std::string(1, c);
    quoted += (quoted.empty() ? "\"" : ".\"") + escaped + "\"";
  }
  return quoted;
}

}  // namespace

std::vector<Drop> drops_in(const std::string& sql) {
  static const std::regex drop_table(R"(^\s*DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?()" + qualified + R"())",
                                     std::regex::icase);
  static const std::regex alter_table(R"(^\s*ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?()" + qualified + R"())",
                                      std::regex::icase);
  static const std::regex drop_column(R"(DROP\s+COLUMN\s+(?:IF\s+EXISTS\s+)?()" + identifier + R"())",
                                      std::regex::icase);
  std::vector<Drop> drops;
  std::smatch match;
  if (std::regex_search(sql, match, drop_table)) {
    drops.push_back({as_quoted(match[1]), std::nullopt, display_name(match[1]), ""});
  } else if (std::regex_search(sql, match, alter_table)) {
    const std::string table = match[1];
    const std::string rest = match.suffix();
    for (auto it = std::sregex_iterator(rest.begin(), rest.end(), drop_column);
         it != std::sregex_iterator(); ++it) {
      const std::string column = (*it)[1];
      drops.push_back({as_quoted(table), as_quoted(column),
                       display_name(table) + "." + display_name(column), display_name(column)});
    }
  }
  return drops;
}

}  // namespace sonamu
