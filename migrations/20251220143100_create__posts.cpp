// createTable posts: increments id; integer user_id notNullable; string title(255) notNullable
#include <sonamu/migration.hpp>

namespace {

void up(sonamu::Knex& knex) {
  knex.raw(R"(CREATE TABLE "posts" ("id" serial primary key, "user_id" integer NOT NULL, )"
           R"("title" varchar(255) NOT NULL))");
}

void down(sonamu::Knex& knex) { knex.raw(R"(DROP TABLE "posts")"); }

}  // namespace

SONAMU_MIGRATION(up, down)
