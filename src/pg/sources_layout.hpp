#pragma once
/// The table of source hashes (TableLocation::sources_table) as this tool lays it out: a name
/// and a hash, both text. A hash kept in another type (bytea, a padded character(n)) never
/// reads back as it was written, and every migration would look edited.

#include <pqxx/transaction_base>

#include <string>
#include <utility>
#include <vector>

namespace sonamu::pg {

/// Why a table of source hashes with `columns` (name, type as format_type spells it) is not
/// this tool's, in one sentence naming it as `shown`; "" when it is.
std::string sources_layout_problem(const std::string& shown,
                                   const std::vector<std::pair<std::string, std::string>>& columns);

/// Throws sonamu::Error (mismatch) when the existing table `quoted` has another layout.
void check_sources_layout(pqxx::transaction_base& tx, const std::string& quoted, const std::string& shown);

}  // namespace sonamu::pg
