// knex's twin of migrations/20251220143022_create__users.cpp.
exports.up = (knex) =>
  knex.schema.createTable('users', (table) => {
    table.increments().primary();
    table.string('email', 255).notNullable();
  });

exports.down = (knex) => knex.schema.dropTable('users');
