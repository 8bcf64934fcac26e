// A data migration: the first account, with values bound as parameters.
#include <sonamu/migration.hpp>

namespace {

void up(sonamu::Knex& knex) {
  knex.raw(R"(INSERT INTO "accounts" ("email") VALUES ($1))", "admin@example.com");
}

void down(sonamu::Knex& knex) {
  knex.raw(R"(DELETE FROM "accounts" WHERE "email" = $1)", "admin@example.com");
}

}  // namespace

SONAMU_MIGRATION(up, down)
