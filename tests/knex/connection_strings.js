#!/usr/bin/env node
// The connection URLs of the unit tests (unit/postgres_url_test.cpp), read by the parser knex
// uses for postgres:// URLs (pg-connection-string, installed with knex's pg driver from
// tests/knex/package-lock.json by scripts/install-knex.sh). No database is involved.
//
// Usage: node connection_strings.js OUT.json
// Writes { "URL": { "host", "port", "user", "password", "database", "params" } or
// { "error": message } when the parser throws }.
'use strict';

const fs = require('fs');
const path = require('path');
const { parse } = require('pg-connection-string');

const urls = [
  // A password holding `@`, `:`, `%`, `/`, `#` or `?`, raw or percent-encoded.
  'postgres://user:Kq7@Wz3@127.0.0.1/db',
  'postgres://user:Kq7@Wz3@127.0.0.1:6543/db',
  'postgres://user:Kq7@Wz3@Jx5@db.example/app',
  'postgres://user:Kq7:Wz3@127.0.0.1/db',
  'postgres://user:Kq7%Wz3@127.0.0.1/db',
  'postgres://user:Kq7%25Wz3@127.0.0.1/db',
  'postgres://user:Kq7%4aWz3@127.0.0.1/db',
  'postgres://user:Kq7%40Wz3%2FJx5%23y%3Az%3F@127.0.0.1/db',
  'postgres://user:Kq7/Wz3@127.0.0.1/db',
  'postgres://user:12/Wz3@127.0.0.1/db',
  'postgres://user:Kq7@Wz3/Jx5@127.0.0.1/db',
  'postgres://user:Kq7#Wz3@127.0.0.1/db',
  'postgres://user:12#Wz3@127.0.0.1/db',
  'postgres://user:Kq7?Wz3@127.0.0.1/db',
  'postgresql://user:Kq7@Wz3:Jx5%rd@/mydb?host=/tmp/sock',
  // Spaces and `%` that starts no escape: the whole URL is encoded first.
  'postgres://user:Kq7 Wz3@h/db',
  'postgres://user:Kq7%zz Wz3@h/db',
  'postgres://user:Kq7%41%2FWz3 z@h/db',
  // Hosts, ports, sockets, parameters.
  'postgres://db.example:5432/app?sslmode=require',
  'postgresql:///mydb?host=%2Fvar%2Frun%2Fpostgresql',
  'postgres://%2Fvar%2Frun%2Fpostgresql/db',
  'postgres://user@[::1]:5433/db',
  'postgres://us%40er:pw@h/d%20b',
  'postgres://h/db?user=other&password=s%26cret&application_name=a+b',
  'postgres://h:99999/db',
  'postgres://h:x/db',
  'postgres://h',
  'postgres://',
];

const out = {};
for (const url of urls) {
  try {
    const config = parse(url);
    const params = {};
    for (const [key, value] of Object.entries(config)) {
      if (!['host', 'port', 'user', 'password', 'database', 'ssl'].includes(key) && value !== null &&
          value !== undefined) {
        params[key] = String(value);
      }
    }
    out[url] = {
      host: config.host || '',
      port: config.port ? String(config.port) : '',
      user: config.user || '',
      password: config.password || '',
      database: config.database || '',
      params,
    };
  } catch (e) {
    out[url] = { error: String(e.message || e) };
  }
}
// Its folder is made here: run beside the other knex fixtures, none can be relied on to make it first.
fs.mkdirSync(path.dirname(path.resolve(process.argv[2])), { recursive: true });
fs.writeFileSync(process.argv[2], JSON.stringify(out, null, 2));
