#!/usr/bin/env node
// The builder cases of the unit tests, built with knex itself: each case is the same calls as
// the C++ test of the same name, and its expectation is what knex's `toSQL()` gives for
// PostgreSQL. No database is involved.
//
// Usage: node builder_cases.js OUT.json
// Writes { "case name": [ { "sql": ..., "bindings": [...] }, ... ] }. Query SQL is knex's
// native form for pg (`toNative()`: `$1`, `$2`, ...); schema statements that carry bindings
// go through the pg client's own `positionBindings`, which is what knex does before sending.
'use strict';

const fs = require('fs');
const path = require('path');

const knex = require('./offline_knex');

/** The statements of a schema builder (`knex.schema....`), in order. */
function schema(builder) {
  return builder.toSQL().map((statement) => ({
    sql: statement.bindings && statement.bindings.length
      ? knex.client.positionBindings(statement.sql)
      : statement.sql,
    bindings: statement.bindings || [],
  }));
}

/** The single statement of a query builder (`knex('table')....`), in pg's native form. */
function query(builder) {
  const native = builder.toSQL().toNative();
  return [{ sql: native.sql, bindings: native.bindings }];
}

const cases = {
  // ---- unit/schema_table_test.cpp
  "the guide's createTable and dropTable": () => [
    ...schema(knex.schema.createTable('users', (table) => {
      table.increments().primary();
      table.string('email', 255).notNullable();
    })),
    ...schema(knex.schema.dropTable('users')),
  ],

  "the guide's alterTable: add a nullable column, drop it": () => [
    ...schema(knex.schema.alterTable('users', (table) => { table.string('phone', 20).nullable(); })),
    ...schema(knex.schema.alterTable('users', (table) => { table.dropColumns('phone'); })),
  ],

  "the guide's foreign key and its rollback": () => [
    ...schema(knex.schema.alterTable('employees', (table) => {
      table.foreign('user_id').references('users.id').onUpdate('CASCADE').onDelete('CASCADE');
    })),
    ...schema(knex.schema.alterTable('employees', (table) => { table.dropForeign(['user_id']); })),
  ],

  'a unique column adds knex\'s named constraint after the column': () =>
    schema(knex.schema.alterTable('users', (table) => { table.string('nickname', 50).nullable().unique(); })),

  'every column type, as knex writes it for PostgreSQL': () =>
    schema(knex.schema.createTable('s.all', (t) => {
      t.increments('a');
      t.bigIncrements('b');
      t.integer('c');
      t.bigInteger('d');
      t.smallint('e');
      t.tinyint('f');
      t.string('g');
      t.string('g2', 10);
      t.text('h');
      t.boolean('i');
      t.date('j');
      t.datetime('k');
      t.datetime('k2', { useTz: false });
      t.datetime('k3', { useTz: true, precision: 3 });
      t.timestamp('l');
      t.timestamp('l2', { useTz: false, precision: 2 });
      t.time('m');
      t.decimal('n');
      t.decimal('n2', 10, 2);
      t.decimal('n3', null);
      t.float('o');
      t.float('o2', 5, 1);
      t.double('p');
      t.double('p2', 5, 1);
      t.json('q');
      t.jsonb('r');
      t.uuid('s');
      t.binary('u');
      t.enu('v', ['a', 'b']);
      t.enum('w', ['x', 'y'], { useNative: true, enumName: 'my_enum' });
      t.specificType('x', 'int[]');
      t.integer('y').unsigned();
      t.text('z').comment("it's");
    })),

  'createTableIfNotExists with an explicit primary key, unique and index': () =>
    schema(knex.schema.createTableIfNotExists('users', (t) => {
      t.bigIncrements();
      t.string('code', 10).primary();
      t.uuid('u').unique().index();
    })),

  'withSchema, references, index, unique, timestamps and a table comment': () =>
    schema(knex.schema.withSchema('app').createTable('posts', (t) => {
      t.increments();
      t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
      t.integer('x').references('users.id');
      t.string('email').index();
      t.string('n').unique();
      t.timestamps(true, true);
      t.comment('Posts');
    })),

  'timestamps without defaults, and in camel case': () => [
    ...schema(knex.schema.createTable('t', (t) => { t.timestamps(); })),
    ...schema(knex.schema.createTable('t', (t) => { t.timestamps(false, true, true); })),
  ],

  'dropTable, dropTableIfExists and renameTable, with and without a schema': () => [
    ...schema(knex.schema.dropTable('users')),
    ...schema(knex.schema.withSchema('s').dropTableIfExists('users')),
    ...schema(knex.schema.withSchema('s').renameTable('a', 'b')),
    ...schema(knex.schema.renameTable('a', 'b')),
  ],

  'hasTable and hasColumn bind the names and read the answer': () => [
    ...schema(knex.schema.hasTable('users')),
    ...schema(knex.schema.withSchema('s').hasTable('users')),
    ...schema(knex.schema.hasColumn('users', 'email')),
  ],

  "alterTable's table operations, in the order written": () =>
    schema(knex.schema.table('users', (t) => {
      t.renameColumn('a', 'b');
      t.dropColumn('c');
      t.dropColumns('d', 'e');
      t.index(['f', 'g']);
      t.index('h', 'my_idx');
      t.dropIndex(['f', 'g']);
      t.dropIndex([], 'my_idx');
      t.unique(['i', 'j']);
      t.dropUnique(['i', 'j']);
      t.primary(['k']);
      t.dropPrimary();
      t.primary(['k'], 'pk_name');
      t.dropPrimary('pk_name');
      t.setNullable('l');
      t.dropNullable('m');
      t.dropTimestamps();
      t.dropForeign('n');
      t.dropForeign([], 'fk_name');
      t.comment("it's");
    })),

  "alter() changes type, default and nullability of an existing column": () => [
    ...schema(knex.schema.alterTable('users', (t) => { t.string('email', 100).notNullable().defaultTo('x').alter(); })),
    ...schema(knex.schema.alterTable('users', (t) => {
      t.integer('n').alter();
      t.text('z').nullable().alter({ alterNullable: false });
    })),
    ...schema(knex.schema.alterTable('users', (t) => { t.integer('n').alter({ alterNullable: true, alterType: false }); })),
  ],

  'several added columns share one ALTER TABLE; comments and constraints follow': () =>
    schema(knex.schema.alterTable('users', (t) => {
      t.string('a');
      t.integer('b').notNullable().defaultTo(0).comment('c');
      t.string('u').unique();
    })),

  'foreign keys over several columns, with key names, schemas and deferral': () =>
    schema(knex.schema.alterTable('x', (t) => {
      t.foreign(['a', 'b'], 'fk_ab').references(['c', 'd']).inTable('y').deferrable('deferred');
      t.foreign('q').references('id').on('s.y').onDelete('SET NULL');
      t.integer('r').references('z.id').withKeyName('r_fk').onUpdate('restrict');
    })),

  "a table's primary key makes increments a plain serial": () => [
    ...schema(knex.schema.createTable('t', (t) => {
      t.increments('id');
      t.integer('a');
      t.primary(['a']);
    })),
    ...schema(knex.schema.createTable('t', (t) => {
      t.increments('id', { primaryKey: false });
      t.integer('a').primary('t_pk');
    })),
    ...schema(knex.schema.createTable('t', (t) => {
      t.specificType('a', 'int[]').notNullable();
      t.uuid('u', { primaryKey: true });
    })),
  ],

  'generated names replace the dots and dashes of the table name': () =>
    schema(knex.schema.createTable('s.t-x', (t) => {
      t.integer('a').unique();
      t.integer('b').index();
    })),

  'named unique constraints and index options': () => [
    ...schema(knex.schema.alterTable('users', (t) => {
      t.unique(['a'], 'x_uq');
      t.unique('b', 'y_uq');
      t.string('c').unique('z_uq');
      t.string('d').index('d_idx', 'hash');
      t.index(['e'], 'e_idx', { indexType: 'unique' });
    })),
    ...schema(knex.schema.withSchema('s').alterTable('t', (t) => { t.dropIndex('a'); })),
  ],

  'native enums: the type is created first, in the table\'s schema, unless it exists': () => {
    const mood = { useNative: true, enumName: 'mood' };
    const existing = { ...mood, existingType: true };
    return [
      ...schema(knex.schema.withSchema('s').createTable('e', (t) => {
        t.enu('w', ['x', "y'z"], mood);
        t.enu('q', null, existing);
      })),
      ...schema(knex.schema.alterTable('e', (t) => { t.enu('w', ['x'], mood); })),
      ...schema(knex.schema.alterTable('e', (t) => { t.enu('w', null, existing).alter(); })),
    ];
  },

  'toSQL compiles without running anything': () =>
    schema(knex.schema.alterTable('users', (t) => { t.dropColumn('phone'); })),

  // ---- unit/schema_column_test.cpp
  'defaults of every kind, as knex writes them': () =>
    schema(knex.schema.createTable('d', (t) => {
      t.boolean('a').defaultTo(true);
      t.boolean('b').defaultTo(false);
      t.integer('c').defaultTo(5);
      t.string('s').defaultTo("it's \\ ; --");
      t.text('n').defaultTo(null);
      t.jsonb('j').defaultTo('{}');
      t.decimal('dd', 5, 2).defaultTo(1.5);
      t.string('r').defaultTo(knex.raw("'x'::text"));
      t.text('c1').comment('');
      t.text('c2').comment('a\'b\\c');
      t.timestamp('at').defaultTo(knex.fn.now());
      t.timestamp('at3').defaultTo(knex.fn.now(3));
    })),

  "a raw default's own parameters are written in as literals": () =>
    schema(knex.schema.createTable('d', (t) => {
      t.text('a').defaultTo(knex.raw('lower(?) || ?', ["It's", null]));
    })),

  'hostile identifiers are quoted, with inner quotes doubled': () => [
    ...schema(knex.schema.createTable('we"ird; --', (t) => { t.string('c"ol', 10).defaultTo("a'b"); })),
    ...schema(knex.schema.createTable('유니코드', (t) => { t.text('열').notNullable(); })),
  ],

  'nullable and notNullable: the last call wins, increments ignore both': () =>
    schema(knex.schema.createTable('t', (t) => {
      t.increments().notNullable().defaultTo(1);
      t.integer('a').notNullable().nullable();
      t.integer('b').nullable().notNullable();
    })),

  // ---- unit/query_builder_test.cpp
  "the guide's data migration: update with raw(...) as a value": () =>
    query(knex('users').update({ new_phone: knex.raw('old_phone'), b: 1, a: null })),

  "the guide's data deletion": () => query(knex('users').where('is_deleted', true).del()),

  'update after where, whereIn and whereNull numbers the bindings in order': () =>
    query(knex('users').where('is_deleted', true).whereIn('id', [1, 2]).whereNull('x').update({ z: 'v', a: 2 })),

  'insert sorts the columns; missing values of a row are DEFAULT': () => [
    ...query(knex('users').insert({ z: 1, a: 'x' })),
    ...query(knex('users').insert([{ z: 1, a: 'x' }, { a: 'y', b: 2 }])),
    ...query(knex('users').insert({})),
    ...query(knex('users').returning('id').insert({ a: 1 })),
  ],

  'select with every kind of condition, order, limit and offset': () =>
    query(knex('s.users')
      .select('id', 'email as e')
      .where('a', '>', 3)
      .orWhere('b', null)
      .whereNot('c', 1)
      .whereNotIn('d', [1])
      .whereIn('e', [])
      .whereNotNull('f')
      .orderBy('id', 'desc')
      .limit(5)
      .offset(2)),

  'the object form of where; an explicit operator binds even NULL': () =>
    query(knex('users').where({ a: 1, b: null }).where('x', '<>', null)),

  'select everything, first, empty NOT IN': () => [
    ...query(knex('users')),
    ...query(knex('users').select('id').first()),
    ...query(knex('users').whereNotIn('id', [])),
  ],

  'raw fragments keep their own parameters, renumbered after the ones before': () =>
    query(knex('users').whereRaw(knex.raw('a = ? and b = ?', [1, 2])).update({ x: knex.raw('? + 1', [5]) })),

  'returning, ref and withSchema': () => [
    ...query(knex('users').where('id', 1).returning(['id', 'a']).update({ a: 1 })),
    ...query(knex('users').update({ a: knex.ref('b') })),
    ...query(knex('users').withSchema('s').where('users.id', 1).del()),
  ],

  'hostile values are bound, hostile names quoted': () =>
    query(knex('we"ird').where('c"ol', "'); DROP TABLE users; --").update({ 유니코드: "\\' --" })),

  // ---- unit/authoring_test.cpp
  "knex's order: del, update and insert before where and returning": () => [
    ...query(knex('users').del().where('id', 1)),
    ...query(knex('users').update({ a: 1 }).where('id', 2).whereNull('b')),
    ...query(knex('users').insert({ a: 1 }).returning('*')),
  ],

  'whereExists and whereNotExists with a sub-query, bindings in order': () =>
    query(knex('users')
      .where('a', 1)
      .whereExists(knex('orders').whereRaw('"orders"."user_id" = "users"."id"').where('total', '>', 10))
      .whereNotExists(knex('bans').whereRaw('"bans"."user_id" = "users"."id"'))
      .where('b', 2)),

  'whereRaw with bound values': () =>
    query(knex('users').whereRaw('age > ? and age < ?', [18, 65]).where('c', 3).del()),

  'orderBy with a list of columns': () => query(knex('users').orderBy(['last_name', 'first_name'])),

  'unique with the indexName option': () =>
    schema(knex.schema.alterTable('users', (t) => {
      t.unique(['a', 'b'], { indexName: 'users_ab_key' });
    })),

  'column checks: positive, negative, in, not in, between, length, regex, named': () => [
    ...schema(knex.schema.createTable('t', (t) => {
      t.integer('price').notNullable().defaultTo(1).checkPositive();
      t.integer('n').checkNegative('n_negative');
      t.string('s').checkIn(['a', "it's"]);
      t.string('z').checkNotIn(['x']);
      t.decimal('r').checkBetween([1, 10.5], 'r_range');
      t.string('l').checkLength('>=', 3);
      t.string('x').checkRegex('^[a-z]+$');
    })),
    ...schema(knex.schema.alterTable('t', (t) => {
      t.integer('q').checkPositive();
    })),
  ],

  'column checks on columns added by alterTable, with and without names': () =>
    schema(knex.schema.alterTable('t', (t) => {
      t.integer('p').checkPositive('p_positive');
      t.integer('n').checkNegative();
      t.string('s').checkIn(['a', "it's"], 's_in');
      t.string('z').checkNotIn(['x', 'y']);
      t.decimal('r').checkBetween([0, 1.5]);
      t.decimal('w').checkBetween([[1, 2], [5, 6]], 'w_ranges');
      t.string('l').checkLength('<', 10, 'l_short');
      t.string('x').checkRegex('^[a-z]+$', 'x_lower');
    })),

  'column checks of altered columns are constraints of their own, numbered per column': () =>
    schema(knex.schema.alterTable('t', (t) => {
      t.integer('p').checkPositive().checkNegative('p_negative').alter();
      t.string('s').notNullable().checkIn(['a']).checkNotIn(['b']).comment('state').alter();
      t.decimal('r').checkBetween([1, 2]).alter({ alterNullable: false });
      t.string('l').checkLength('>=', 2).checkRegex('^x', 'l_x').alter();
      t.integer('added').checkPositive();
    })),

  'column checks in createTable with several intervals and every named form': () =>
    schema(knex.schema.createTable('t', (t) => {
      t.integer('p').checkPositive('p_positive');
      t.string('s').checkIn(['a'], 's_in').checkNotIn(['b'], 's_not_b');
      t.decimal('w').checkBetween([[1, 2], [5, 6]]);
      t.string('l').checkLength('<>', 4, 'l_len');
      t.string('x').checkRegex("it's", 'x_re');
    })),

  'table checks in createTable: named, unnamed, with bindings': () =>
    schema(knex.schema.createTable('t', (t) => {
      t.integer('a');
      t.string('b').primary();
      t.check('?? > ?', ['a', 5], 'a_big');
      t.check('a < 100');
      t.check('b <> ?', ["it's"]);
    })),

  'table checks in alterTable and dropChecks': () => [
    ...schema(knex.schema.alterTable('t', (t) => {
      t.integer('a');
      t.check('a < 100', [], 'a_small');
      t.index('a');
      t.check('a <> 7');
      t.check('a <> 8');
    })),
    ...schema(knex.schema.alterTable('t', (t) => {
      t.dropChecks(['a_small', 't_1']);
      t.dropChecks('t_2');
      t.dropChecks();
    })),
  ],

  'table check bindings: numbers and booleans bare, null, strings quoted': () =>
    schema(knex.schema.createTable('t', (t) => {
      t.integer('a');
      t.check('a = ? or b = ? or c is not ? or d = ?', [1.5, true, null, 'x']);
    })),

  'table check with bindings in alterTable': () =>
    schema(knex.schema.alterTable('t', (t) => { t.check('?? > ?', ['a', 5], 'a_big'); })),

  'knex.raw as a default value and as a value in update': () => [
    ...schema(knex.schema.createTable('t', (t) => {
      t.uuid('id').defaultTo(knex.raw('uuid_generate_v4()'));
    })),
    ...query(knex('t').update({ n: knex.raw('n + ?', [1]) })),
  ],
};

const out = process.argv[2];
if (!out) {
  console.error('usage: node builder_cases.js OUT.json');
  process.exit(2);
}
const result = {};
// The forms of a ported knex history live in a file of their own.
const all = { ...cases, ...require('./porting_cases') };
for (const [name, build] of Object.entries(all)) result[name] = build();
fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`knex ${require('knex/package.json').version}: ${Object.keys(result).length} builder cases written to ${out}`);
