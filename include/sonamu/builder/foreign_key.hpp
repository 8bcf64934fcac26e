#pragma once
/// A foreign key being described: `foreign(cols).references("table.col").onDelete(...)`.

#include <sonamu/builder/detail/foreign_key.hpp>

#include <string>
#include <vector>

namespace sonamu {

/// The chain knex returns from `table.foreign(...)`.
class ForeignBuilder {
 public:
  /// Describes `key`, which must outlive the builder (the table keeps it).
  explicit ForeignBuilder(detail::ForeignKey& key) : key_(&key) {}

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
  detail::ForeignKey* key_;
};

}  // namespace sonamu
