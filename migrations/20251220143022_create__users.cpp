// createTable users: increments id; string email(255) notNullable
#include <sonamu/migration.hpp>

namespace {

void up(sonamu::Knex& knex) {
  knex.schema.createTable("users", [](auto& table) {
    table.increments().primary();
    table.string("email", 255).notNullable();
  });
}

void down(sonamu::Knex& knex) { knex.schema.dropTable("users"); }

}  // namespace

SONAMU_MIGRATION(up, down)
