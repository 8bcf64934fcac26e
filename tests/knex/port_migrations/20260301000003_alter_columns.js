// alter() with knex's option object: the type without the nullability, the rest without the type.
exports.up = async function (knex) {
  await knex.schema.alterTable('accounts', (table) => {
    table.string('email', 200).alter({ alterNullable: false });
  });
  await knex.schema.alterTable('orders', (table) => {
    table.string('status', 32).notNullable().defaultTo('open').alter({ alterType: false });
    table.text('note', 'mediumtext');
  });
};

exports.down = async function (knex) {
  await knex.schema.alterTable('orders', (table) => {
    table.dropColumn('note');
    table.string('status', 16).notNullable().defaultTo('new').alter();
  });
  await knex.schema.alterTable('accounts', (table) => {
    table.string('email', 120).notNullable().alter({ alterNullable: true, alterType: true });
  });
};
