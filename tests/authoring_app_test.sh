#!/usr/bin/env bash
# A user project (tests/fixtures/authoring_app) whose migrations use every authoring form: C++
# with knex's chain order, knex.raw as a value, option objects by field name and typed values;
# SQL files with up/down sections, one outside any transaction. Built against the installed
# package with -Wall -Wextra -Wpedantic -Werror, run against a fresh database on the test server
# (PG* variables). Also: a malformed SQL file stops the build naming file and line, a SQL file
# not compiled in is refused at run time, `migrate make NAME --sql` writes one.
# Usage: authoring_app_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail

build=$1
source=$2
# shellcheck source=SCRIPTDIR/lib/app_test.sh
source "$source/tests/lib/app_test.sh"
app_test_setup authoring

cmake --install "$build" --prefix "$work/prefix" >/dev/null
cp -R "$source/tests/fixtures/authoring_app" "$work/app"
cmake -S "$work/app" -B "$work/app-build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/app-build" -j2 >"$work/build.log" 2>&1 || fail "build with -Werror: $(cat "$work/build.log")"

psql -qAtc "CREATE DATABASE \"$database\""
app() { timeout 120 "$work/app-build/authoring_migrate" "$@"; }
sql() { psql -d "$database" -qAtc "$1"; }
cd "$work/app"  # migrations/ here: the check against the sources on disk runs, .sql files included

out=$(app migrate run -c "dbname=$database" 2>"$work/run.err") || fail "run: $(cat "$work/run.err")"
expected=$'Batch 1 runs in 2 parts: [20260201000000_port_of_knex.cpp, 20260201000001_create_items.cpp, 20260201000002_add_item_notes.sql] in one transaction; [20260201000003_index_items_concurrently.sql] without a transaction\nBatch 1 run: 4 migrations\n✅ 20260201000000_port_of_knex.cpp\n✅ 20260201000001_create_items.cpp\n✅ 20260201000002_add_item_notes.sql\n✅ 20260201000003_index_items_concurrently.sql'
[ "$out" = "$expected" ] || fail "run printed: $out"

[ "$(sql "SELECT title FROM posts")" = "Hi" ] || fail "posts: $(sql 'SELECT * FROM posts')"
# What the C++ migration wrote, read back by psql.
[ "$(sql "SELECT name || ' ' || rank || ' ' || active FROM items ORDER BY rank")" = $'one 1 true\ntwo 12 false' ] ||
  fail "items: $(sql 'SELECT * FROM items')"
[ "$(sql "SELECT settings->>'checked' FROM items WHERE name = 'one'")" = "true" ] || fail "jsonb not written"
[ "$(sql "SELECT seen_at FROM items WHERE name = 'one'")" = "2024-02-29 13:04:05.123456" ] || fail "timestamp not written"
[ "$(sql "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'seen_at'")" = \
  "timestamp without time zone" ] || fail "useTz = false ignored"
[ "$(sql "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'created_at'")" = \
  "timestamp(3) with time zone" ] || fail "precision = 3 ignored"
[ "$(sql "SELECT count(*) FROM pg_constraint WHERE conname = 'items_name_rank_key' AND contype = 'u'")" = "1" ] || fail "no named unique"
[ "$(sql "SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint WHERE conrelid = 'items'::regclass AND contype = 'c'")" = \
  "items_name_given,items_rank_positive" ] || fail "checks: $(sql "SELECT conname FROM pg_constraint WHERE conrelid = 'items'::regclass")"
[ "$(sql "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'items'::regclass AND adnum = 1")" = "gen_random_uuid()" ] ||
  fail "knex.raw as a default was not SQL text"
[ "$(sql "SELECT obj_description(to_regnamespace('audit'), 'pg_namespace')")" = "chained" ] || fail "schema.raw(...).raw(...) did not run both"
# What the SQL migrations did: the function with its semicolon inside $$, the index built outside a transaction.
[ "$(sql "SELECT item_label(items) FROM items WHERE name = 'two'")" = "two: a; b" ] || fail "SQL migration"
[ "$(sql "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('items_note_index')")" = "t" ] || fail "no concurrent index"

# Each statement of a SQL file is its own statement for the data-loss report, --dry-run and --verbose.
out=$(app migrate rollback --step 2 --dry-run -c "dbname=$database" 2>"$work/report.err") ||
  fail "dry-run: $out $(cat "$work/report.err")"
grep -q "items.note: 2 non-null values" "$work/report.err" ||
  fail "no data-loss report for the SQL file: $(cat "$work/report.err")"
out=$(app migrate rollback --step 2 --dry-run --yes -c "dbname=$database" 2>&1) || fail "dry-run: $out"
[[ "$out" == *'DROP FUNCTION "item_label"("items")'*'ALTER TABLE "items" DROP COLUMN "note"'*"Dry run: nothing was changed"* ]] ||
  fail "dry-run printed: $out"
out=$(app migrate rollback --step 2 --yes --verbose -c "dbname=$database" 2>&1) || fail "rollback: $out"
[[ "$out" == *'DROP INDEX CONCURRENTLY "items_note_index"'*'DROP FUNCTION "item_label"("items")'*'ALTER TABLE "items" DROP COLUMN "note"'* ]] ||
  fail "rollback --verbose printed: $out"
[ "$(sql "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'note'")" = "0" ] ||
  fail "note column left behind"

# verify runs the pending SQL migration's up, down and up and compares the catalog.
out=$(app migrate verify -c "dbname=$database" 2>&1) || fail "verify: $out"
[[ "$out" == *"20260201000002_add_item_notes"* ]] || fail "verify printed: $out"

# A SQL file on disk that the binary does not hold: refused, naming it.
cp "$work/app/migrations/20260201000002_add_item_notes.sql" "$work/app/migrations/20260201000004_late.sql"
if app migrate run -c "dbname=$database" >/dev/null 2>"$work/stale.err"; then fail "ran with an uncompiled SQL file"; fi
grep -q "20260201000004_late.sql" "$work/stale.err" || fail "stale message: $(cat "$work/stale.err")"
rm "$work/app/migrations/20260201000004_late.sql"

# Malformed files stop the build with file and line.
printf -- '-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n-- migrate:up\nSELECT 3;\n' \
  >"$work/app/migrations/20260201000005_twice.sql"
if cmake --build "$work/app-build" >"$work/bad.log" 2>&1; then fail "a file with two up sections built"; fi
grep -q "20260201000005_twice.sql:5: error: a second '-- migrate:up' section (the first is on line 1)" "$work/bad.log" ||
  fail "two up sections: $(cat "$work/bad.log")"
printf -- '-- nothing to see\nSELECT 1;\n' >"$work/app/migrations/20260201000005_twice.sql"
if cmake --build "$work/app-build" >"$work/bad.log" 2>&1; then fail "a file without an up section built"; fi
grep -q "20260201000005_twice.sql:2: error: SQL before the '-- migrate:up' line" "$work/bad.log" ||
  fail "SQL before up: $(cat "$work/bad.log")"
printf -- '-- only a comment\n' >"$work/app/migrations/20260201000005_twice.sql"
if cmake --build "$work/app-build" >"$work/bad.log" 2>&1; then fail "a file without an up section built"; fi
grep -q "20260201000005_twice.sql:1: error: no '-- migrate:up' line" "$work/bad.log" || fail "no up: $(cat "$work/bad.log")"
printf -- '-- migrate:up\n-- sonamu:lossy too early\nSELECT 1;\n' >"$work/app/migrations/20260201000005_twice.sql"
if cmake --build "$work/app-build" >"$work/bad.log" 2>&1; then fail "a lossy declaration in the up section built"; fi
grep -q "20260201000005_twice.sql:2: error: '-- sonamu:lossy' belongs in the '-- migrate:down' section" "$work/bad.log" ||
  fail "lossy in up: $(cat "$work/bad.log")"
# A migration that runs in a transaction may not end it: refused by PostgreSQL's own parser.
printf -- '-- migrate:up\nCREATE TABLE ended (id int);\nCOMMIT;\n' >"$work/app/migrations/20260201000005_twice.sql"
if cmake --build "$work/app-build" >"$work/bad.log" 2>&1; then fail "a COMMIT in a transactional SQL file built"; fi
grep -q "20260201000005_twice.sql:3: error: \`COMMIT\` would end the migration's transaction" "$work/bad.log" ||
  fail "COMMIT: $(cat "$work/bad.log")"
rm "$work/app/migrations/20260201000005_twice.sql"

# make --sql writes a file with both sections that builds and runs as it is.
out=$(app migrate make add_tags --sql) || fail "make --sql: $out"
made=$(ls "$work/app/migrations/"*_add_tags.sql) || fail "make --sql wrote no .sql file: $out"
[ "$out" = "Created Migration: migrations/$(basename "$made")" ] || fail "make printed: $out"
grep -qx -- "-- migrate:up" "$made" && grep -qx -- "-- migrate:down" "$made" || fail "template: $(cat "$made")"
cmake --build "$work/app-build" -j2 >"$work/build.log" 2>&1 || fail "build after make: $(cat "$work/build.log")"
out=$(app migrate run -c "dbname=$database" 2>&1) || fail "run after make: $out"
[[ "$out" == *"Batch 2 run: 3 migrations"*"_add_tags.sql" ]] || fail "run after make printed: $out"

out=$(app migrate rollback --all --yes -c "dbname=$database" 2>&1) || fail "rollback --all: $out"
[ "$(sql "SELECT to_regclass('items') IS NULL AND to_regclass('posts') IS NULL AND to_regtype('item_kind') IS NULL")" = "t" ] || fail "left behind after rollback --all"
echo "authoring app: every authoring form built with -Werror and ran: 1 passed, 0 failed"
