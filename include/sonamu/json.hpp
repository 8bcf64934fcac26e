#pragma once
/// nlohmann::json as a value: bound as its text (into json or jsonb columns) and read back with
/// `row["settings"].as<nlohmann::json>()`.
///
///     knex("users").update({{"settings", nlohmann::json{{"theme", "dark"}}}}).where("id", 1);

#include <sonamu/value_traits.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace sonamu {

template <>
struct ValueTraits<nlohmann::json> {
  static std::string to_text(const nlohmann::json& value) { return value.dump(); }
  static nlohmann::json from_text(const std::string& text) { return nlohmann::json::parse(text); }
};

}  // namespace sonamu
