#pragma once
/// What a SQL migration file runs: its sections, statement by statement.

#include <string>
#include <string_view>
#include <vector>

namespace sonamu {

class Knex;

/// The statements of `script`, split at the semicolons that end them: not those inside quotes
/// ('...', E'...', "..."), dollar quotes ($$...$$, $tag$...$tag$) or comments (-- and nested
/// /* */). Each is trimmed and ends without its semicolon; pieces holding nothing but
/// comments and white space are left out.
std::vector<std::string> split_sql_statements(std::string_view script);

/// Runs each statement of `script` through `knex.raw`, in order: each is its own statement, so
/// the rehearsal, --verbose and the data-loss report see them one by one, and a statement that
/// cannot run in a transaction block (CREATE INDEX CONCURRENTLY) runs on its own.
void run_sql_script(Knex& knex, std::string_view script);

}  // namespace sonamu
