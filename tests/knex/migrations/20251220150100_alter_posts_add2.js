// knex's twin of migrations/20251220150100_alter_posts_add2.cpp.
exports.up = (knex) =>
  knex.schema.alterTable('posts', (table) => {
    table.foreign('user_id').references('users.id').onUpdate('CASCADE').onDelete('CASCADE');
  });

exports.down = (knex) =>
  knex.schema.alterTable('posts', (table) => {
    table.dropForeign(['user_id']);
  });
