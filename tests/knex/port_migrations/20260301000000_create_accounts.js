// knex's spellings (dateTime, enu, text with a MySQL text type) and a multi-database branch.
exports.up = async function (knex) {
  await knex.schema.createTable('accounts', (table) => {
    table.increments('id');
    table.string('email', 120).notNullable();
    table.enu('plan', ['free', 'pro'], { useNative: true, enumName: 'account_plan' }).notNullable().defaultTo('free');
    table.text('bio', 'longtext');
    table.dateTime('created_at', { useTz: false, precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    table.dateTime('deleted_at');
  });
  if (knex.client.config.client === 'pg') {
    await knex.raw('create index ?? on ?? (lower(??))', ['accounts_email_lower_idx', 'accounts', 'email']);
  } else {
    await knex.schema.alterTable('accounts', (table) => {
      table.index('email', 'accounts_email_lower_idx');
    });
  }
};

exports.down = async function (knex) {
  await knex.schema.dropTable('accounts');
  await knex.raw('drop type ??', ['account_plan']);
};
