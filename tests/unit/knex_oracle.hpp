#pragma once
// knex itself as the expectation of the builder tests: tests/knex/builder_cases.js builds each
// case with knex 3 and writes what `toSQL()` gives for PostgreSQL to a JSON file (a CTest
// fixture, so the file is regenerated on every run); a C++ test of the same name builds the
// same thing and compares statement by statement.

#include <sonamu/builder/statement.hpp>

#include <cctype>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace sonamu::test {

/// `sql` with everything outside double-quoted identifiers and single-quoted literals in upper
/// case: knex writes keywords in lower case, this builder in upper case. Nothing else changes.
inline std::string upper_outside_quotes(const std::string& sql) {
  std::string text = sql;
  char quote = 0;  // the quote character we are inside of, or 0
  for (auto& c : text) {
    if (quote != 0) {
      // A doubled quote closes and reopens, which leaves us inside: no special case needed.
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  return text;
}

/// knex's statements for the case `name`, bindings as PostgreSQL's text parameters (a JSON
/// number as written, booleans `true`/`false`, `null` as SQL NULL). Fails the test if the
/// file or the case is missing.
std::vector<Statement> knex_case(const std::string& name);

/// The names of every case in the file.
std::vector<std::string> knex_case_names();

/// Where this builder deliberately writes something else than knex: statement index → knex's
/// text exactly as knex writes it (checked, so a change in knex is noticed) and ours.
struct Deviation {
  std::string knex_sql;
  std::string our_sql;
};
using Deviations = std::map<std::size_t, Deviation>;

/// Compares `ours` with knex's statements for the current test case (its name is the case's):
/// same number of statements, each with the same SQL up to keyword case and the same bindings,
/// except the listed deviations.
void check_against_knex(const std::vector<Statement>& ours, const Deviations& deviations = {});

}  // namespace sonamu::test
