#!/usr/bin/env node
// knex's own migrator (knex.migrate.latest / rollback / list) on a database of the test server,
// with the migrations of tests/knex/migrations (or of the folder KNEX_MIGRATIONS names):
// knex's side of the interop tests.
//
// Usage: node migrate.js latest|up|rollback|list DATABASE [READY_FIFO GATE_FIFO [LOCKING_FIFO]]
// The server is the one the libpq PG* variables name (PGHOST may be a Unix-socket folder).
// With the two FIFOs, the command connects first, then writes one line to READY_FIFO and
// waits for one byte on GATE_FIFO before it starts: so several runners start together.
// With LOCKING_FIFO, it writes one line there as it sends knex's lock statement (the UPDATE
// of knex_migrations_lock to is_locked = 1), so a test can start another runner right then.
//
// Output (stdout), one line each:
//   latest:   "Batch N run: K migrations" and the names, or "Already up to date"
//   up:       the same for the next pending migration alone (knex.migrate.up)
//   rollback: "Batch N rolled back: K migrations" and the names, or "Already at the base migration"
//   list:     "completed NAME" for each, then "pending NAME" for each
// An error is "error: MESSAGE" on stderr and exit code 1.
'use strict';

const fs = require('fs');
const path = require('path');

const [command, database, readyFifo, gateFifo, lockingFifo] = process.argv.slice(2);
if (!['latest', 'up', 'rollback', 'list'].includes(command) || !database) {
  console.error('usage: node migrate.js latest|up|rollback|list DATABASE [READY_FIFO GATE_FIFO [LOCKING_FIFO]]');
  process.exit(2);
}

const knex = require('knex')({
  client: 'pg',
  connection: {
    host: process.env.PGHOST,
    port: process.env.PGPORT ? Number(process.env.PGPORT) : undefined,
    user: process.env.PGUSER,
    password: process.env.PGPASSWORD,
    database,
  },
  pool: { min: 0, max: 4 },
  migrations: {
    directory: process.env.KNEX_MIGRATIONS || path.join(__dirname, 'migrations'),
    tableName: 'knex_migrations',
  },
});

if (lockingFifo) {
  let told = false;
  knex.on('query', (query) => {
    if (!told && /^update "knex_migrations_lock" set "is_locked" = /.test(query.sql) && query.bindings[0] === 1) {
      told = true;
      fs.appendFileSync(lockingFifo, 'locking\n');
    }
  });
}

function plural(count) {
  return `${count} migration${count === 1 ? '' : 's'}`;
}

function nameOf(entry) {
  // knex lists completed migrations as rows ({ name }) and pending ones as files ({ file }).
  return typeof entry === 'string' ? entry : entry.name || entry.file;
}

async function waitAtGate() {
  if (!readyFifo) return;
  await knex.raw('select 1');  // connected, so the race is between migrators, not start-ups
  fs.appendFileSync(readyFifo, 'ready\n');
  const gate = fs.openSync(gateFifo, 'r');
  const byte = Buffer.alloc(1);
  // One byte per runner: the test writes as many as it started, all at once.
  if (fs.readSync(gate, byte, 0, 1, null) !== 1) throw new Error('the gate closed without opening');
  fs.closeSync(gate);
}

async function main() {
  await waitAtGate();
  if (command === 'latest' || command === 'up') {
    const [batch, log] = await knex.migrate[command]();
    if (log.length === 0) {
      console.log('Already up to date');
    } else {
      console.log(`Batch ${batch} run: ${plural(log.length)}`);
      for (const name of log) console.log(name);
    }
  } else if (command === 'rollback') {
    const [batch, log] = await knex.migrate.rollback();
    if (log.length === 0) {
      console.log('Already at the base migration');
    } else {
      console.log(`Batch ${batch} rolled back: ${plural(log.length)}`);
      for (const name of log) console.log(name);
    }
  } else {
    const [completed, pending] = await knex.migrate.list();
    for (const entry of completed) console.log(`completed ${nameOf(entry)}`);
    for (const entry of pending) console.log(`pending ${nameOf(entry)}`);
  }
}

main()
  .then(() => knex.destroy())
  .catch(async (error) => {
    console.error(`error: ${error.message}`);
    process.exitCode = 1;
    await knex.destroy().catch(() => {});
  });
