// Partial indexes (predicate, indexType, storageEngineIndexType), a unique index with a
// predicate, and their drops by explicit name with empty columns.
exports.up = async function (knex) {
  await knex.schema.alterTable('accounts', (table) => {
    table.index(['email'], 'accounts_live_email_idx', { indexType: 'unique', predicate: knex.whereNull('deleted_at') });
    table.index('created_at', 'accounts_created_brin', { storageEngineIndexType: 'brin' });
    table.unique(['email', 'plan'], {
      indexName: 'accounts_email_plan_key',
      predicate: knex.whereNotNull('bio').orWhereNull('deleted_at'),
    });
  });
};

exports.down = async function (knex) {
  await knex.schema.alterTable('accounts', (table) => {
    table.dropIndex([], 'accounts_email_plan_key');
    table.dropIndex('', 'accounts_created_brin');
    table.dropIndex([], 'accounts_live_email_idx');
  });
};
