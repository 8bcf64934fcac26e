// The builder cases of the knex forms a ported migration history uses (tests/unit/
// knex_raw_bindings_test.cpp, knex_spellings_test.cpp, query_join_test.cpp): knex.raw's
// bindings, knex's spellings and option objects, joins and upserts. Merged into the cases of
// builder_cases.js, which writes them with the others.
'use strict';

const knex = require('./offline_knex');

/** The statements of a schema builder, as builder_cases.js takes them. */
function schema(builder) {
  return builder.toSQL().map((statement) => ({
    sql: statement.bindings && statement.bindings.length
      ? knex.client.positionBindings(statement.sql)
      : statement.sql,
    bindings: statement.bindings || [],
  }));
}

/** The single statement of a query builder or a knex.raw, in pg's native form. */
function query(builder) {
  const native = builder.toSQL().toNative();
  return [{ sql: native.sql, bindings: native.bindings }];
}

module.exports = {
  // ---- unit/knex_raw_bindings_test.cpp
  'knex.raw with ? values, ?? identifiers and \\? escapes': () => [
    ...query(knex.raw('select ?? from ?? where a = ? and b \\? ?', ['x.y', 's.t', 1, 'k'])),
    ...query(knex.raw('select ?? from t', ['a as b'])),
    ...query(knex.raw('update t set n = ? where id = ?', [knex.raw('n + ?', [1]), 5])),
    ...query(knex.raw("select '{}'::jsonb \\? 'a'")),
    ...query(knex.raw('select ?', [null])),
  ],

  'knex.raw with named bindings': () => [
    ...query(knex.raw('select :col: from :tbl: where a = :a and b::text = :b and c = :a and d = \\:a',
      { col: 'x', tbl: 's.t', a: 1, b: 'z' })),
    ...query(knex.raw('select :c:::text, :missing', { c: 'a' })),
  ],

  "table checks with knex's ?? and ? placeholders": () => [
    ...schema(knex.schema.createTable('t', (t) => {
      t.integer('a');
      t.check('?? > ? and ?? <> ?', ['a', 5, 'b', "it's"], 'a_big');
    })),
    ...schema(knex.schema.alterTable('t', (t) => { t.check('?? is not ?', ['t.a', null], 'a_set'); })),
  ],

  'knex.raw bindings inside query conditions follow the ones before': () =>
    query(knex('users').where('a', 1).whereRaw('?? = ?', ['b', 2]).update({ x: knex.raw('? + 1', [5]) })),

  // ---- unit/knex_spellings_test.cpp
  "knex's spellings: dateTime, enu, enum, unsigned, text with a MySQL text type": () =>
    schema(knex.schema.createTable('t', (t) => {
      t.dateTime('a');
      t.dateTime('b', { useTz: false, precision: 3 });
      t.text('c', 'longtext');
      t.text('d', 'mediumtext');
      t.integer('e').unsigned();
      t.enu('f', ['x']);
      t.enum('g', ['y']);
    })),

  'alter with the option object': () =>
    schema(knex.schema.alterTable('t', (t) => {
      t.integer('a').notNullable().alter({ alterNullable: false });
      t.string('b').nullable().alter({ alterType: false });
      t.text('c', 'longtext').alter({ alterNullable: false, alterType: false });
      t.integer('d').notNullable().alter({ alterNullable: true, alterType: true });
    })),

  'partial, unique and access-method indexes with the option object': () =>
    schema(knex.schema.alterTable('users', (t) => {
      t.index(['a', 'b'], 'ab_idx', { indexType: 'unique', storageEngineIndexType: 'hash', predicate: knex.whereNotNull('a') });
      t.index('c', 'c_idx', { predicate: knex.whereNull('c').orWhereNotNull('d') });
      t.index(['c2'], 'c2_idx', { storageEngineIndexType: 'gin' });
      t.unique(['e'], { indexName: 'e_uq', deferrable: 'deferred' });
      t.unique(['f'], { indexName: 'f_uq', predicate: knex.whereNull('g') });
      t.unique('h', { deferrable: 'immediate' });
      t.unique(['k'], { useConstraint: false });
      t.unique(['m'], { predicate: knex.whereNotNull('m') });
    })),

  'unique with deferrable in createTable': () =>
    schema(knex.schema.createTable('t', (t) => {
      t.integer('a');
      t.unique(['a'], { indexName: 'a_uq', deferrable: 'deferred' });
      t.index(['a'], 'ai', { predicate: knex.whereNotNull('a') });
    })),

  'dropIndex, dropUnique, dropForeign and dropPrimary by explicit name': () =>
    schema(knex.schema.withSchema('s').alterTable('users', (t) => {
      t.dropIndex('', 'ab_idx');
      t.dropIndex([], 'x_idx');
      t.dropUnique([], 'e_uq');
      t.dropUnique('', 'e_uq2');
      t.dropForeign('', 'fk');
      t.dropForeign([], 'fk2');
      t.dropPrimary('pk');
    })),

  // The fields of knex.client a multi-database migration reads, as one "statement":
  // config.client, then dialect and driverName.
  "knex.client answers as knex's pg client does": () => [
    { sql: knex.client.config.client, bindings: [knex.client.dialect, knex.client.driverName] },
  ],

  // ---- unit/query_join_test.cpp
  'join, leftJoin and innerJoin with on, andOn and orOn; aliases': () =>
    query(knex('users as u')
      .select('u.id', 'o.total as t')
      .join('orders as o', 'u.id', 'o.user_id')
      .leftJoin('s.items', 'items.order_id', '=', 'o.id')
      .innerJoin('x', function () { this.on('x.a', '=', 'u.a').andOn('x.b', 'u.b').orOn('x.c', '>', 'u.c'); })
      .leftJoin('y', function () { this.on('y.a', 'u.a'); })
      .where('u.a', 1)),

  'orWhereNull, orWhereNotNull, orWhere(raw) and orWhereRaw with bindings': () => [
    ...query(knex('users')
      .where('a', 1)
      .orWhereNull('b')
      .orWhereNotNull('c')
      .orWhere(knex.raw('d > ?', [2]))
      .orWhereRaw('?? = ?', ['e', 3])
      .whereRaw('f < ?', [4])),
    ...query(knex('users').where(knex.raw('a = ?', [1])).orWhereRaw('b is null').del()),
  ],

  'insert with onConflict: merge, merge of columns, merge of values, ignore': () => [
    ...query(knex('t').insert({ a: 1, id: 2 }).onConflict('id').merge()),
    ...query(knex('t').insert([{ a: 1, id: 2 }, { a: 3, id: 4 }]).onConflict(['id', 'a']).merge(['a']).returning('id')),
    ...query(knex('t').insert({ a: 1, id: 2 }).onConflict('id').merge({ a: knex.raw('?? + ?', ['t.a', 1]), b: 5 })),
    ...query(knex('t').insert({ a: 1, id: 2 }).onConflict('id').ignore()),
    ...query(knex('t').insert({ a: 1, id: 2 }).onConflict().ignore()),
  ],

  'select aliases and whereExists with a join inside': () =>
    query(knex('users')
      .select('id as user_id', 'email AS mail')
      .whereExists(knex('orders as o').join('items', 'items.order_id', 'o.id').whereRaw('?? = ??', ['o.user_id', 'users.id']))),
};
