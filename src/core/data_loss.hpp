#pragma once
/// What a rollback would destroy, derived from the catalog before and after its down functions
/// ran (in a transaction that is rolled back): tables and columns that disappear, and columns
/// whose type changes. Whatever form a down takes, PostgreSQL's catalog says what it did.

#include <cstdint>
#include <string>
#include <vector>

namespace sonamu {

/// One column of a table, as the catalog describes it.
struct ColumnShape {
  int number = 0;    ///< attnum: stays with the column across renames
  std::string name;
  std::string type;  ///< format_type(), e.g. "character varying(255)"
};

/// One table holding data (ordinary, partitioned root or materialized view).
struct TableShape {
  std::uint32_t id = 0;  ///< the oid: a dropped and re-created table is another table
  std::string display;   ///< users, or schema.users outside public
  std::vector<ColumnShape> columns;  ///< sorted by number
  bool holds_data = true;  ///< false when the table has no page at all (nothing to lose)
};

/// Every user table of the database, sorted by id.
using SchemaShape = std::vector<TableShape>;

/// What a difference of two shapes destroys.
enum class LossKind {
  table,        ///< every row
  column,       ///< every non-null value
  type_change,  ///< the values that do not come back unchanged from the new type
  /// Not measured: the rehearsal of the downs was stopped (a lock held past every attempt, a
  /// timeout, an error), so what the rollback deletes is not known. Never "nothing".
  unknown,
};

/// One table or column that a rollback destroys or converts.
struct Loss {
  LossKind kind = LossKind::table;
  std::uint32_t table_id = 0;
  int column_number = 0;  ///< 0 for a table
  std::string display;    ///< users, or users.phone
  std::string from_type;  ///< for a type change
  std::string to_type;
};

/// Tables gone from `after`, columns gone from tables still there, and columns whose type
/// differs, in the order of `before`.
std::vector<Loss> losses_between(const SchemaShape& before, const SchemaShape& after);

/// How much data one loss takes: `count` rows, non-null values or values changed by a type
/// change. `estimated`: from the planner's statistics (the table is above the size up to which
/// values are counted exactly).
struct DataAtRisk {
  std::string display;
  LossKind kind = LossKind::table;
  long long count = 0;
  bool estimated = false;
  std::string from_type;
  std::string to_type;
  /// For LossKind::unknown (`display` then names the down that was stopped): PostgreSQL's
  /// message, its SQLSTATE (empty when the failure did not come from the server) and how many
  /// attempts were made.
  std::string reason;
  std::string sqlstate;
  int attempts = 0;
};

/// "table", "column", "type_change" or "unknown", as the JSON output names them.
const char* loss_kind_name(LossKind kind);

}  // namespace sonamu
