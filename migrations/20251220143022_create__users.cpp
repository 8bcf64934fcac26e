// createTable users: increments id; string email(255) notNullable
#include <sonamu/migration.hpp>

namespace {

void up(sonamu::Knex& knex) {
  knex.raw(R"(CREATE TABLE "users" ("id" serial primary key, "email" varchar(255) NOT NULL))");
}

void down(sonamu::Knex& knex) { knex.raw(R"(DROP TABLE "users")"); }

}  // namespace

SONAMU_MIGRATION(up, down)
