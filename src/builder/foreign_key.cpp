#include <sonamu/builder/definition_error.hpp>
#include <sonamu/builder/foreign_key.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace sonamu {

namespace {

std::string upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

void detail::set_referential_action(std::string& field, const std::string& action, const char* method) {
  static const std::array<const char*, 5> allowed{"CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT",
                                                  "NO ACTION"};
  const auto normalized = upper(action);
  if (std::find(allowed.begin(), allowed.end(), normalized) == allowed.end()) {
    throw DefinitionError(std::string(method) + "(\"" + action +
                          "\"): expected CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION");
  }
  // Written as given, as knex does; it is one of the words above.
  field = action;
}

void detail::set_references(detail::ForeignKey& key, const Columns& target) {
  const auto& names = target.names();
  if (names.empty()) throw DefinitionError("references() needs a column");
  for (const auto& name : names) {
    if (name.empty()) throw DefinitionError("references() needs a column, got an empty name");
  }
  if (names.size() == 1) {
    // "table.column" (or "schema.table.column"): the last part is the column.
    const auto& only = names.front();
    const auto dot = only.rfind('.');
    if (dot != std::string::npos) {
      if (dot == 0 || dot + 1 == only.size()) {
        throw DefinitionError("references(\"" + only + "\"): expected \"table.column\"");
      }
      key.in_table = only.substr(0, dot);
      key.references = {only.substr(dot + 1)};
      return;
    }
  }
  key.references = names;
}

ForeignBuilder& ForeignBuilder::references(const Columns& target) {
  detail::set_references(*key_, target);
  return *this;
}

ForeignBuilder& ForeignBuilder::inTable(const std::string& table) {
  if (table.empty()) throw DefinitionError("inTable() needs a table name");
  key_->in_table = table;
  return *this;
}

ForeignBuilder& ForeignBuilder::onUpdate(const std::string& action) {
  detail::set_referential_action(key_->on_update, action, "onUpdate");
  return *this;
}

ForeignBuilder& ForeignBuilder::onDelete(const std::string& action) {
  detail::set_referential_action(key_->on_delete, action, "onDelete");
  return *this;
}

ForeignBuilder& ForeignBuilder::withKeyName(const std::string& name) {
  if (name.empty()) throw DefinitionError("withKeyName() needs a name");
  key_->key_name = name;
  return *this;
}

ForeignBuilder& ForeignBuilder::deferrable(const std::string& type) {
  const auto normalized = upper(type);
  if (normalized != "DEFERRED" && normalized != "IMMEDIATE") {
    throw DefinitionError("deferrable(\"" + type + "\"): expected deferred or immediate");
  }
  key_->deferrable = normalized;
  return *this;
}

}  // namespace sonamu
