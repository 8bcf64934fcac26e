// knex.raw with named bindings (:name values, :name: identifiers) and a \\? jsonb operator.
const items = [
  ['A-1', 'pen', 2, 1.5, '{"gift": true}'],
  ['A-1', 'ink', 1, 4, '{}'],
  ['A-2', 'pad', 3, 2.25, '{"gift": false}'],
  ['B-1', 'pen', 1, 1.5, null],
];

exports.up = async function (knex) {
  for (const [number, sku, quantity, price, tags] of items) {
    await knex.raw(
      'insert into :items: (order_id, sku, quantity, price, tags)'
      + ' select o.id, :sku, :quantity, :price, cast(:tags as jsonb) from :orders: as o where o.number = :number',
      { items: 'order_items', orders: 'orders', sku, quantity, price, tags, number });
  }
  await knex.raw("update ?? set ?? = ?? - 'gift' where ?? \\? 'gift' and ?? = ?",
    ['order_items', 'tags', 'tags', 'tags', 'sku', 'pen']);
};

exports.down = (knex) => knex('order_items').del();
