// knex's twin of migrations/20251220143100_create__posts.cpp.
exports.up = (knex) =>
  knex.schema.createTable('posts', (table) => {
    table.increments('id');
    table.integer('user_id').notNullable();
    table.string('title', 255).notNullable();
  });

exports.down = (knex) => knex.schema.dropTable('posts');
