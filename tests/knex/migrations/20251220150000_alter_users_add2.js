// knex's twin of migrations/20251220150000_alter_users_add2.cpp.
exports.up = (knex) =>
  knex.schema.alterTable('users', (table) => {
    table.string('nickname', 50).nullable().unique();
  });

exports.down = (knex) =>
  knex.schema.alterTable('users', (table) => {
    table.dropColumns('nickname');
  });
