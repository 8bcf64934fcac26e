// knex's twin of migrations/20251220143200_alter_users_add1.cpp.
exports.up = (knex) =>
  knex.schema.alterTable('users', (table) => {
    table.string('phone', 20).nullable();
  });

exports.down = (knex) =>
  knex.schema.alterTable('users', (table) => {
    table.dropColumns('phone');
  });
