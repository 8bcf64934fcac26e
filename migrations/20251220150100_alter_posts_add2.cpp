// alterTable posts: foreign user_id references users.id onUpdate CASCADE onDelete CASCADE
#include <sonamu/migration.hpp>

namespace {

void up(sonamu::Knex& knex) {
  knex.schema.alterTable("posts", [](auto& table) {
    table
      .foreign("user_id")
      .references("users.id")
      .onUpdate("CASCADE")
      .onDelete("CASCADE");
  });
}

void down(sonamu::Knex& knex) {
  knex.schema.alterTable("posts", [](auto& table) {
    table.dropForeign({"user_id"});
  });
}

}  // namespace

SONAMU_MIGRATION(up, down)
