#pragma once
/// What a SQL migration file runs: its sections, statement by statement.

namespace sonamu {

class Knex;

/// Runs each statement of `statements` (an array ended by a null pointer, as the build step of
/// SQL migrations writes it) through `knex.raw`, in order. PostgreSQL's grammar split the file
/// when it was built; each is its own statement, so the rehearsal, --verbose and the data-loss
/// report see them one by one, and a statement that cannot run in a transaction block (CREATE
/// INDEX CONCURRENTLY) runs on its own.
void run_sql_statements(Knex& knex, const char* const* statements);

}  // namespace sonamu
