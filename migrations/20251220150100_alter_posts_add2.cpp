// alterTable posts: foreign user_id references users.id onUpdate CASCADE onDelete CASCADE
#include <sonamu/migration.hpp>

namespace {

void up(sonamu::Knex& knex) {
  knex.raw(R"(ALTER TABLE "posts" ADD CONSTRAINT "posts_user_id_foreign" FOREIGN KEY ("user_id") )"
           R"(REFERENCES "users" ("id") ON UPDATE CASCADE ON DELETE CASCADE)");
}

void down(sonamu::Knex& knex) {
  knex.raw(R"(ALTER TABLE "posts" DROP CONSTRAINT "posts_user_id_foreign")");
}

}  // namespace

SONAMU_MIGRATION(up, down)
