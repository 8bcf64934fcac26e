#include <sonamu/knex.hpp>
#include <sonamu/sql_script.hpp>

namespace sonamu {

void run_sql_statements(Knex& knex, const char* const* statements) {
  for (; *statements != nullptr; ++statements) knex.raw(*statements).rows();
}

}  // namespace sonamu
