// alterTable users: string phone(20) nullable; down drops it (and its data)
#include <sonamu/migration.hpp>

namespace {

void up(sonamu::Knex& knex) {
  knex.raw(R"(ALTER TABLE "users" ADD COLUMN "phone" varchar(20) NULL)");
}

void down(sonamu::Knex& knex) { knex.raw(R"(ALTER TABLE "users" DROP COLUMN "phone")"); }

}  // namespace

SONAMU_MIGRATION(up, down)
