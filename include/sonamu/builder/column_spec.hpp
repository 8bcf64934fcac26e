#pragma once
/// The description of one column, as the column builder records it for the compiler.

#include <sonamu/builder/sql_value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace sonamu {

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

/// knex's `{ useTz, precision }` for datetime and timestamp.
struct TimestampOptions {
  bool useTz = true;
  std::optional<int> precision;  ///< fractional digits, 0 to 6
};

/// knex's options of `enu`: a CHECK constraint by default, or a native PostgreSQL enum type.
struct EnumOptions {
  bool useNative = false;
  std::string enumName;      ///< required with useNative
  bool existingType = false; ///< the type exists already: do not create it
  std::string schemaName;    ///< schema of the type; defaults to the table's
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

  bool alter = false;             ///< alter(): change an existing column
  bool alter_nullable = true;
  bool alter_type = true;
};

}  // namespace sonamu
