#pragma once
/// What `verify` learns about data: the rows present before a migration's up are copied, and
/// after its down each column is compared with the copy. A column whose values do not come
/// back is a down that loses data even when the schema is restored.

#include <string>
#include <vector>

namespace sonamu {

/// One table whose rows were copied before up, to compare after down.
struct TableCopy {
  std::string table;       ///< oid::regclass text: quoted and schema-qualified as needed
  std::string display;     ///< users, or schema.users outside public
  std::string copy;        ///< the temporary table holding the copy
  std::vector<std::string> key;  ///< primary key columns (quoted), empty without one
  bool sampled = false;    ///< only the first rows were copied: the table is above the size limit
};

/// The copies taken before up, and the tables left out (with why).
struct RowSnapshot {
  std::vector<TableCopy> copies;
  std::vector<std::string> notes;  ///< e.g. "events: not compared (above 64 MB, no primary key)"
};

/// One column (or a table's rows) whose values did not come back after down.
struct ValueDrift {
  std::string display;     ///< users.age, or users for rows gone
  long long differing = 0; ///< values (or rows) that differ
  long long compared = 0;  ///< values (or rows) compared
  bool sampled = false;    ///< compared on the first rows only
  bool rows = false;       ///< rows missing after down, not values of a column
  std::string before;      ///< an example value before up ("'025'", "NULL"); empty if none
  std::string after;       ///< the same row's value after down; empty when not paired
};

/// The comparison of one migration's up → down with the rows present before it.
struct DataCheck {
  std::vector<ValueDrift> drifts;
  std::vector<std::string> notes;  ///< tables sampled or not compared, and why
};

}  // namespace sonamu
