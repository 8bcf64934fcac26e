#include "pg/sources_layout.hpp"

#include "core/error.hpp"

#include <pqxx/result>

#include <algorithm>

namespace sonamu::pg {

std::string sources_layout_problem(const std::string& shown,
                                   const std::vector<std::pair<std::string, std::string>>& columns) {
  std::string problem;
  for (const char* wanted : {"name", "source_hash"}) {
    const auto column = std::find_if(columns.begin(), columns.end(), [&](const auto& c) { return c.first == wanted; });
    if (column == columns.end()) {
      problem = std::string("it has no column ") + wanted;
    } else if (column->second != "text" && column->second.rfind("character varying", 0) != 0) {
      problem = std::string("its column ") + wanted + " is of type " + column->second + ", not text";
    }
    if (!problem.empty()) break;
  }
  if (problem.empty()) return problem;
  return "The table " + shown + " is not this tool's table of source hashes (" + problem +
         "); rename it, or choose another --table";
}

void check_sources_layout(pqxx::transaction_base& tx, const std::string& quoted, const std::string& shown) {
  std::vector<std::pair<std::string, std::string>> columns;
  for (const auto& row : tx.exec_params("SELECT attname, pg_catalog.format_type(atttypid, atttypmod)"
                                        " FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass($1)"
                                        " AND attnum > 0 AND NOT attisdropped",
                                        quoted)) {
    columns.emplace_back(row[0].as<std::string>(), row[1].as<std::string>());
  }
  const std::string problem = sources_layout_problem(shown, columns);
  if (!problem.empty()) throw Error(ExitCode::mismatch, problem);
}

}  // namespace sonamu::pg
