// alterTable users: string nickname(50) nullable unique (knex names the constraint
// users_nickname_unique)
#include <sonamu/migration.hpp>

namespace {

void up(sonamu::Knex& knex) {
  knex.schema.alterTable("users", [](auto& table) {
    table.string("nickname", 50).nullable().unique();
  });
}

void down(sonamu::Knex& knex) {
  knex.schema.alterTable("users", [](auto& table) {
    // Dropping the column drops users_nickname_unique with it.
    table.dropColumns("nickname");
  });
}

}  // namespace

SONAMU_MIGRATION(up, down)
