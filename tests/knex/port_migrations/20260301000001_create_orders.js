// A named foreign key and a deferrable unique constraint with its own name.
exports.up = async function (knex) {
  await knex.schema.createTable('orders', (table) => {
    table.increments('id');
    table.integer('account_id').notNullable();
    table.string('number', 20).notNullable();
    table.decimal('total', 10, 2).notNullable().defaultTo(0);
    table.string('status', 16).notNullable().defaultTo('new');
    table.foreign('account_id', 'orders_account_fk').references('id').inTable('accounts');
    table.unique(['account_id', 'number'], { indexName: 'orders_account_number_key', deferrable: 'deferred' });
  });
};

exports.down = (knex) => knex.schema.dropTable('orders');
