// createTable posts: increments id; integer user_id notNullable; string title(255) notNullable
#include <sonamu/migration.hpp>

namespace {

void up(sonamu::Knex& knex) {
  knex.schema.createTable("posts", [](auto& table) {
    table.increments("id");
    table.integer("user_id").notNullable();
    table.string("title", 255).notNullable();
  });
}

void down(sonamu::Knex& knex) { knex.schema.dropTable("posts"); }

}  // namespace

SONAMU_MIGRATION(up, down)
