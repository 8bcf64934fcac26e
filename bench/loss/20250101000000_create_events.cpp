// Benchmark migration: the table the data-at-risk scenario fills.
#include <sonamu/migration.hpp>

namespace {

void up(sonamu::Knex& knex) {
  knex.schema.createTable("events", [](auto& table) {
    table.bigIncrements("id");
    table.string("kind", 20).notNullable();
    table.integer("amount");
  });
}

void down(sonamu::Knex& knex) { knex.schema.dropTable("events"); }

}  // namespace

SONAMU_MIGRATION(up, down)
