#pragma once
/// What a rollback would delete: the tables and columns that the statements of its down
/// functions drop, read from their SQL text.

#include <optional>
#include <string>
#include <vector>

namespace sonamu {

/// A table or column that a statement drops.
struct Drop {
  std::string table;                  ///< as written in the statement, quoted: "s"."t" or "t"
  std::optional<std::string> column;  ///< quoted, for DROP COLUMN
  std::string display;                ///< users, or users.phone, unquoted for people
  std::string column_name;            ///< the column, unquoted (empty for a table)
};

/// The drops in one SQL text: DROP TABLE [IF EXISTS] ... and ALTER TABLE ... DROP COLUMN ...
/// (one or several), in the form the schema builder writes and hand-written SQL usually has.
std::vector<Drop> drops_in(const std::string& sql);

/// Data a rollback would delete: `count` rows of a table, or non-null values of a column.
struct DataAtRisk {
  std::string display;
  bool column = false;
  long long count = 0;
};

}  // namespace sonamu
