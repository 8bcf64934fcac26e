#pragma once
/// A foreign key being described: `foreign(cols).references("table.col").onDelete(...)`.

#include <sonamu/builder/columns.hpp>

#include <string>
#include <vector>

namespace sonamu {

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

/// The chain knex returns from `table.foreign(...)`.
class ForeignBuilder {
 public:
  /// Describes `key`, which must outlive the builder (the table keeps it).
  explicit ForeignBuilder(ForeignKey& key) : key_(&key) {}

  /// `"users.id"`, or `"id"` followed by `inTable("users")`, or several columns.
  ForeignBuilder& references(const Columns& target);
  /// The referenced table, when `references` named only the column.
  ForeignBuilder& inTable(const std::string& table);
  /// knex's alias of `inTable`.
  ForeignBuilder& on(const std::string& table) { return inTable(table); }
  /// ON UPDATE action (CASCADE, SET NULL, SET DEFAULT, RESTRICT, NO ACTION).
  ForeignBuilder& onUpdate(const std::string& action);
  /// ON DELETE action (CASCADE, SET NULL, SET DEFAULT, RESTRICT, NO ACTION).
  ForeignBuilder& onDelete(const std::string& action);
  /// The constraint's name instead of the generated one.
  ForeignBuilder& withKeyName(const std::string& name);
  /// DEFERRABLE INITIALLY "deferred" or "immediate".
  ForeignBuilder& deferrable(const std::string& type);

 private:
  ForeignKey* key_;
};

}  // namespace sonamu
