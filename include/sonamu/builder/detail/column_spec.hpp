#pragma once
/// The description of one column, as the column builder records it for the SQL compiler.
/// Not part of the migration author's API: read by the library only.

#include <sonamu/builder/column_options.hpp>
#include <sonamu/builder/sql_value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace sonamu::detail {

/// The column types of knex's table builder.
enum class ColumnType {
  increments,
  big_increments,
  integer,
  big_integer,
  smallint,
  tinyint,
  string,
  text,
  boolean,
  date,
  datetime,
  time,
  decimal,
  floating,
  double_precision,
  json,
  jsonb,
  uuid,
  binary,
  enumeration,
  specific
};

/// One of knex's column checks (checkPositive, checkIn, ...).
struct ColumnCheck {
  std::string condition;  ///< the SQL inside CHECK (...), identifiers quoted, values literal
  std::string name;       ///< the constraint name given, or empty
};

/// Everything said about a column.
struct ColumnSpec {
  ColumnType type = ColumnType::integer;
  std::string name;
  int length = 255;               ///< string
  std::optional<int> precision;   ///< decimal (nullopt: unconstrained), datetime
  int scale = 2;                  ///< decimal
  bool use_tz = true;             ///< datetime
  bool primary_key = true;        ///< increments (default on), uuid (set off by default)
  std::vector<std::string> enum_values;
  EnumOptions enum_options;
  std::string specific_type;      ///< specificType, written as given

  std::optional<bool> nullable;   ///< nullable() = true, notNullable() = false
  std::optional<SqlValue> default_value;
  std::optional<std::string> comment;
  std::vector<ColumnCheck> checks;  ///< in the order written

  bool alter = false;             ///< alter(): change an existing column
  bool alter_nullable = true;
  bool alter_type = true;
};

}  // namespace sonamu::detail
