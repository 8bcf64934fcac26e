#!/usr/bin/env node
// What knex 3 sends for each migration of tests/knex/migrations (the JS twins of migrations/):
// `toSQL()` of the schema builder its up and down return, for PostgreSQL. No database needed.
//
// Usage: node migration_sql.js OUT.json
// Writes { "NAME": { "up": [sql, ...], "down": [sql, ...] }, ... }, NAME without extension, in
// name order.
'use strict';

const fs = require('fs');
const path = require('path');

const knex = require('./offline_knex');

const out = process.argv[2];
if (!out) {
  console.error('usage: node migration_sql.js OUT.json');
  process.exit(2);
}

function statements(builder) {
  return builder.toSQL().map((statement) => {
    if (statement.bindings && statement.bindings.length) {
      throw new Error(`a migration statement with bindings: ${statement.sql}`);
    }
    return statement.sql;
  });
}

const directory = path.join(__dirname, 'migrations');
const result = {};
for (const file of fs.readdirSync(directory).filter((name) => name.endsWith('.js')).sort()) {
  const migration = require(path.join(directory, file));
  result[path.basename(file, '.js')] = { up: statements(migration.up(knex)), down: statements(migration.down(knex)) };
}
fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`knex ${require('knex/package.json').version}: ${Object.keys(result).length} migrations written to ${out}`);
