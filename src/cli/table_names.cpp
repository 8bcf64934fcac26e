#include "cli/table_names.hpp"

#include "core/error.hpp"

namespace sonamu::cli {

namespace {

constexpr std::size_t max_identifier_bytes = 63;  // NAMEDATALEN - 1 in a default build

}  // namespace

void check_table_names(const TableLocation& location) {
  if (location.schema.empty()) throw Error(ExitCode::usage, "--schema: the schema name is empty");
  if (location.table.empty()) throw Error(ExitCode::usage, "--table: the table name is empty");
  if (location.schema.size() > max_identifier_bytes) {
    throw Error(ExitCode::usage, "--schema: the schema name is longer than PostgreSQL's " +
                                     std::to_string(max_identifier_bytes) + " bytes");
  }
  const std::size_t longest_suffix = location.history_table().size() - location.table.size();
  if (location.history_table().size() > max_identifier_bytes) {
    throw Error(ExitCode::usage,
                "--table: the table name is " + std::to_string(location.table.size()) + " bytes; at most " +
                    std::to_string(max_identifier_bytes - longest_suffix) +
                    " fit, since PostgreSQL cuts names at " + std::to_string(max_identifier_bytes) +
                    " bytes and " + location.history_table() + " must stay distinct");
  }
}

}  // namespace sonamu::cli
