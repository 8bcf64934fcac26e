// The query builder: joins (join, innerJoin, leftJoin) with on/andOn/orOn, select aliases, OR conditions, whereExists,
// whereRaw/orWhereRaw with bindings, and upserts with onConflict.
exports.up = async function (knex) {
  await knex.schema.createTable('report_lines', (table) => {
    table.increments('id');
    table.integer('account_id').notNullable();
    table.string('email', 200);
    table.string('number', 20);
    table.string('sku', 32);
    table.integer('qty');
  });
  await knex.schema.createTable('account_reports', (table) => {
    table.integer('account_id').primary();
    table.string('email', 200);
    table.integer('orders').notNullable().defaultTo(0);
    table.text('note');
  });
  const lines = await knex('accounts as a')
    .select('a.id as account_id', 'a.email as email', 'o.number as number', 'i.sku', 'i.quantity as qty')
    .leftJoin('orders as o', 'o.account_id', 'a.id')
    .leftJoin('order_items as i', function () {
      this.on('i.order_id', '=', 'o.id').andOn('i.quantity', '>=', 'o.account_id').orOn('i.sku', 'a.bio');
    })
    .whereNull('a.deleted_at')
    .orWhereNotNull('a.bio')
    .orWhere(knex.raw('?? = ?', ['a.plan', 'free']))
    .orderBy(['a.id', 'o.number', 'i.sku']);
  for (const line of lines) {
    await knex('report_lines').insert({
      account_id: line.account_id, email: line.email, number: line.number, sku: line.sku, qty: line.qty,
    });
  }
  const buyers = await knex('accounts')
    .select('id', 'email')
    .whereExists(knex('orders as o')
      .join('order_items as i', 'i.order_id', 'o.id')
      .innerJoin('accounts as b', 'b.id', 'o.account_id')
      .whereRaw('?? = ??', ['o.account_id', 'accounts.id']))
    .whereRaw('?? > ?', ['id', 0])
    .orWhereRaw('?? = ?', ['email', 'cy@example.org'])
    .orderBy('id');
  for (const buyer of buyers) {
    await knex('account_reports').insert({ account_id: buyer.id, email: buyer.email }).onConflict('account_id').ignore();
  }
  await knex('account_reports').insert({ account_id: 1, email: 'ann@example.com', note: 'merged' }).onConflict('account_id').merge();
  await knex('account_reports').insert({ account_id: 2, email: 'ignored' }).onConflict('account_id').ignore();
  await knex('account_reports').insert({ account_id: 4, email: 'dan@example.com' }).onConflict().ignore();
};

exports.down = async function (knex) {
  await knex.schema.dropTable('account_reports');
  await knex.schema.dropTable('report_lines');
};
