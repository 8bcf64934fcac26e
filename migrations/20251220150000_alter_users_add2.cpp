// alterTable users: string nickname(50) nullable unique (knex names the constraint
// users_nickname_unique); dropping the column drops the constraint with it
#include <sonamu/migration.hpp>

namespace {

void up(sonamu::Knex& knex) {
  knex.raw(R"(ALTER TABLE "users" ADD COLUMN "nickname" varchar(50) NULL)");
  knex.raw(R"(ALTER TABLE "users" ADD CONSTRAINT "users_nickname_unique" UNIQUE ("nickname"))");
}

void down(sonamu::Knex& knex) { knex.raw(R"(ALTER TABLE "users" DROP COLUMN "nickname")"); }

}  // namespace

SONAMU_MIGRATION(up, down)
