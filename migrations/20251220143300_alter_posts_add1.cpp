// alterTable posts: text body nullable
#include <sonamu/migration.hpp>

namespace {

void up(sonamu::Knex& knex) { knex.raw(R"(ALTER TABLE "posts" ADD COLUMN "body" text NULL)"); }

void down(sonamu::Knex& knex) { knex.raw(R"(ALTER TABLE "posts" DROP COLUMN "body")"); }

}  // namespace

SONAMU_MIGRATION(up, down)
