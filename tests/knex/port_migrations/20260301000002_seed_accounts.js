// Rows written with insert, insert(...).onConflict(...).merge()/ignore() and knex.raw's ? and ?? bindings.
exports.up = async function (knex) {
  await knex('accounts').insert([
    { id: 1, email: 'Ann@example.com', plan: 'pro', bio: 'writes', created_at: '2026-01-01 10:00:00' },
    { id: 2, email: 'bob@example.com', created_at: '2026-01-02 10:00:00' },
    { id: 3, email: 'cy@example.com', bio: 'reads', created_at: '2026-01-03 10:00:00', deleted_at: '2026-02-01 00:00:00' },
  ]);
  await knex('accounts').insert({ id: 2, email: 'bob@example.org', plan: 'pro', created_at: '2026-01-05 10:00:00' })
    .onConflict('id').merge(['email', 'plan']);
  await knex('accounts').insert({ id: 3, email: 'cy@example.org', created_at: '2026-01-06 10:00:00' }).onConflict('id').merge();
  await knex('accounts').insert({ id: 1, email: 'nobody@example.com', created_at: '2026-01-09 10:00:00' }).onConflict('id').ignore();
  await knex.raw('insert into ?? (??, ??, ??) values (?, ?, ?), (?, ?, ?), (?, ?, ?)', [
    'orders', 'account_id', 'number', 'total', 1, 'A-1', 10.5, 1, 'A-2', 4, 2, 'B-1', 7.25,
  ]);
};

exports.down = async function (knex) {
  await knex('orders').del();
  await knex('accounts').del();
};
