// alterTable users: string phone(20) nullable; down drops it (and its data)
#include <sonamu/migration.hpp>

namespace {

void up(sonamu::Knex& knex) {
  knex.schema.alterTable("users", [](auto& table) {
    table.string("phone", 20).nullable();
  });
}

void down(sonamu::Knex& knex) {
  knex.schema.alterTable("users", [](auto& table) {
    table.dropColumns("phone");  // the phone data goes with it
  });
}

}  // namespace

SONAMU_MIGRATION(up, down)
