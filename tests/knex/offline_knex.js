// knex 3 for PostgreSQL without a connection, for scripts that only ask it for SQL (`toSQL()`).
// A missing install is an error naming the fix: the tests fail, they never skip.
'use strict';

let knexFactory;
try {
  knexFactory = require('knex');
} catch (error) {
  console.error(`knex is not installed in ${__dirname}/node_modules: run scripts/install-knex.sh (${error.message})`);
  process.exit(1);
}

module.exports = knexFactory({ client: 'pg' });
