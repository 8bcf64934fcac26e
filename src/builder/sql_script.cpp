#include <sonamu/builder/raw_query.hpp>
#include <sonamu/knex.hpp>
#include <sonamu/sql_script.hpp>

namespace sonamu {

void run_sql_statements(Knex& knex, const char* const* statements) {
  // Sent as written: knex's placeholders and escapes (`?`, `\\?`) belong to knex.raw, not to
  // SQL files.
  for (; *statements != nullptr; ++statements) RawQuery(knex, Raw{*statements, {}}).rows();
}

}  // namespace sonamu
