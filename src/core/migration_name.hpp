#pragma once
/// Migration names: `YYYYMMDDHHMMSS_name`, with or without a file extension.

#include <string>
#include <string_view>

namespace sonamu {

/// The part of a recorded name that identifies a migration: the name without its extension.
/// `20251220143200_alter_users_add1.ts` and `20251220143200_alter_users_add1.cpp` are the same
/// migration, whichever tool recorded them.
std::string migration_stem(std::string_view recorded_name);

/// The stem of a source file path: its base name without the extension.
std::string stem_of_path(std::string_view path);

/// The name a migration is shown and recorded under: its stem with `extension` when one is
/// configured (a project ported from knex keeps its `.ts` or `.js` records), else with its own
/// file's (`.sql` for a SQL file, `.cpp` otherwise), as knex records a migration's file name.
std::string recorded_name(std::string_view stem, std::string_view source_file, std::string_view extension);

/// Why `stem` is not a valid migration name, or an empty string when it is.
/// Valid: 14 digits forming a plausible UTC timestamp, `_`, then letters, digits, `_` or `-`.
std::string migration_name_problem(std::string_view stem);

}  // namespace sonamu
