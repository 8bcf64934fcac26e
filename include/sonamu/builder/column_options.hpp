#pragma once
/// The option objects of knex's column types, as a migration passes them: by field name with
/// C++20's designated initializers, `{.useTz = false}`, or in order, `{false}`. Every field has
/// a default member initializer, so leaving fields out compiles cleanly under -Wextra.

#include <optional>
#include <string>

namespace sonamu {

/// knex's `{ useTz, precision }` for datetime and timestamp.
struct TimestampOptions {
  bool useTz = true;
  std::optional<int> precision = std::nullopt;  ///< fractional digits, 0 to 6
};

/// knex's options of `enu`: a CHECK constraint by default, or a native PostgreSQL enum type.
struct EnumOptions {
  bool useNative = false;
  std::string enumName = {};      ///< required with useNative
  bool existingType = false; ///< the type exists already: do not create it
  std::string schemaName = {};    ///< schema of the type; defaults to the table's
};

/// knex's options of `unique(columns, { indexName })`.
struct UniqueOptions {
  std::string indexName = {};  ///< the constraint's name; `<table>_<columns>_unique` when empty
};

}  // namespace sonamu
