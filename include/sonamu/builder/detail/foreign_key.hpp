#pragma once
/// A foreign key as the builders record it for the SQL compiler.
/// Not part of the migration author's API: read by the library only.

#include <sonamu/builder/columns.hpp>

#include <string>
#include <vector>

namespace sonamu::detail {

/// What a foreign key constraint needs; the compiler checks it is complete.
struct ForeignKey {
  std::vector<std::string> columns;     ///< columns of this table
  std::string key_name;                 ///< empty: knex's `<table>_<columns>_foreign`
  std::vector<std::string> references;  ///< columns of the referenced table
  std::string in_table;                 ///< the referenced table (may be "schema.table")
  std::string on_update;                ///< referential action, validated, or empty
  std::string on_delete;
  std::string deferrable;  ///< "deferred", "immediate" or empty
};

/// Sets `action` (CASCADE, SET NULL, SET DEFAULT, RESTRICT, NO ACTION in any case) or throws
/// DefinitionError: the action is written into the SQL, so it must be one of these words.
void set_referential_action(std::string& field, const std::string& action, const char* method);

/// Fills `references` (and `in_table` for the "table.column" form) or throws DefinitionError.
void set_references(ForeignKey& key, const Columns& target);

}  // namespace sonamu::detail
