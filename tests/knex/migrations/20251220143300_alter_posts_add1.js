// knex's twin of migrations/20251220143300_alter_posts_add1.cpp.
exports.up = (knex) =>
  knex.schema.alterTable('posts', (table) => {
    table.text('body').nullable();
  });

exports.down = (knex) =>
  knex.schema.alterTable('posts', (table) => {
    table.dropColumns('body');
  });
