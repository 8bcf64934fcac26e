#include "core/environment_name.hpp"

#include <algorithm>
#include <cctype>

namespace sonamu {

namespace {

std::string trimmed(const std::string& name) {
  const auto space = [](unsigned char c) { return std::isspace(c) != 0; };
  const auto first = std::find_if_not(name.begin(), name.end(), space);
  const auto last = std::find_if_not(name.rbegin(), name.rend(), space).base();
  return first < last ? std::string(first, last) : std::string();
}

std::string lowered(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

}  // namespace

std::string canonical_environment(const std::string& name) {
  const std::string plain = trimmed(name);
  return lowered(plain) == "production" ? "production" : plain;
}

EnvironmentKind environment_kind(const std::string& name) {
  const std::string key = lowered(trimmed(name));
  if (key == "production") return EnvironmentKind::production;
  // A near spelling (prod, PRD, production-eu) is a production database more often than not:
  // it is never taken for an ordinary environment. Its first word decides (product, preprod
  // and staging are other words).
  const auto letters = std::find_if_not(key.begin(), key.end(), [](unsigned char c) { return std::isalpha(c) != 0; });
  const std::string word(key.begin(), letters);
  if (word == "prod" || word == "prd" || word == "production") return EnvironmentKind::near_production;
  return EnvironmentKind::other;
}

}  // namespace sonamu
