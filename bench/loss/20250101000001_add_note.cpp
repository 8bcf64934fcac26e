// Benchmark migration: a column whose rollback drops it, with its values.
#include <sonamu/migration.hpp>

namespace {

void up(sonamu::Knex& knex) {
  knex.schema.alterTable("events", [](auto& table) { table.text("note").nullable(); });
}

void down(sonamu::Knex& knex) {
  knex.schema.alterTable("events", [](auto& table) { table.dropColumns("note"); });
}

}  // namespace

SONAMU_MIGRATION(up, down)
