// dropForeign, dropUnique and dropPrimary by explicit name with empty columns, and new keys.
exports.up = async function (knex) {
  await knex.schema.alterTable('orders', (table) => {
    table.dropForeign([], 'orders_account_fk');
    table.dropUnique([], 'orders_account_number_key');
    table.dropPrimary('orders_pkey');
  });
  await knex.schema.alterTable('orders', (table) => {
    table.primary(['account_id', 'number'], 'orders_account_number_pk');
    table.foreign('account_id', 'orders_account_cascade_fk').references('accounts.id').onDelete('CASCADE');
    table.unique(['id'], { indexName: 'orders_id_key', deferrable: 'immediate' });
  });
};

exports.down = async function (knex) {
  await knex.schema.alterTable('orders', (table) => {
    table.dropUnique('', 'orders_id_key');
    table.dropForeign('', 'orders_account_cascade_fk');
    table.dropPrimary('orders_account_number_pk');
  });
  await knex.schema.alterTable('orders', (table) => {
    table.primary(['id'], 'orders_pkey');
    table.foreign('account_id', 'orders_account_fk').references('id').inTable('accounts');
    table.unique(['account_id', 'number'], { indexName: 'orders_account_number_key', deferrable: 'deferred' });
  });
};
