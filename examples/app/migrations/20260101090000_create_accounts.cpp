// createTable accounts: increments id; string email(255) notNullable unique; timestamps
#include <sonamu/migration.hpp>

namespace {

void up(sonamu::Knex& knex) {
  knex.schema.createTable("accounts", [](auto& table) {
    table.increments("id");
    table.string("email", 255).notNullable().unique();
    table.timestamps(true, true);
  });
}

void down(sonamu::Knex& knex) { knex.schema.dropTable("accounts"); }

}  // namespace

SONAMU_MIGRATION(up, down)
