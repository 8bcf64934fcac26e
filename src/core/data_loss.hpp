#pragma once
/// What a rollback would delete: the tables and columns its down functions drop, found by
/// rehearsing them without a server and reading the statements they would send.

#include <sonamu/migration.hpp>

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

/// Every drop the function would perform, found by running it on a handle that sends nothing.
std::vector<Drop> rehearse_drops(MigrationFn fn);

/// Data a rollback would delete: `count` rows of a table, or non-null values of a column.
struct DataAtRisk {
  std::string display;
  bool column = false;
  long long count = 0;
};

}  // namespace sonamu
