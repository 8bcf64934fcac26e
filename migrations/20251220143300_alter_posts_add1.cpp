// alterTable posts: text body nullable
#include <sonamu/migration.hpp>

namespace {

void up(sonamu::Knex& knex) {
  knex.schema.alterTable("posts", [](auto& table) {
    table.text("body").nullable();
  });
}

void down(sonamu::Knex& knex) {
  knex.schema.alterTable("posts", [](auto& table) {
    table.dropColumns("body");
  });
}

}  // namespace

SONAMU_MIGRATION(up, down)
