// A multi-database migration keeping its PostgreSQL branch by knex.client.dialect.
exports.up = async function (knex) {
  await knex.schema.createTable('order_items', (table) => {
    table.increments('id');
    table.integer('order_id').notNullable().index('order_items_order_idx');
    table.string('sku', 32).notNullable();
    table.integer('quantity').notNullable().defaultTo(1);
    table.decimal('price', 10, 2);
    table.jsonb('tags');
  });
  if (knex.client.dialect === 'postgresql') {
    await knex.raw('create view ?? as select ??, sum(?? * ??) as ?? from ?? group by ??',
      ['order_values', 'order_id', 'quantity', 'price', 'value', 'order_items', 'order_id']);
  }
};

exports.down = async function (knex) {
  if (knex.client.dialect === 'postgresql') {
    await knex.raw('drop view ??', ['order_values']);
  }
  await knex.schema.dropTable('order_items');
};
