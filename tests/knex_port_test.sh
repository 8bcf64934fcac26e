#!/usr/bin/env bash
# A history of ten knex migrations using every form of docs/porting-from-knex.md, in JavaScript
# (tests/knex/port_migrations) and ported line by line to C++ (tests/fixtures/knex_port_app,
# built against the installed package with -Werror). knex's own migrator runs the originals on
# one database, the C++ binary the ports on another; after each step the two are compared
# through PostgreSQL's catalog (columns, constraints, indexes, views, enum types) and the rows
# of every table. Steps: the first four one by one (`up`), the other six as one batch, a
# rollback of that batch (which must also give back the state before it), and the batch again.
# Fails, never skips, without node, knex or the test server (PG* variables).
# Usage: knex_port_test.sh BUILD_DIR SOURCE_DIR
set -uo pipefail

build=$1
source=$(cd "$2" && pwd)
limit=120  # seconds any single command may take

# shellcheck source=SCRIPTDIR/lib/checks.sh
source "$source/tests/lib/checks.sh"
database_prefix=sonamu_knex_port

work=$(mktemp -d -t sonamu-knex-port.XXXXXX)
cleanup() {
  drop_databases
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM
unset DATABASE_URL NODE_ENV PGDATABASE
export PGCONNECT_TIMEOUT=10 NO_COLOR=1
export KNEX_MIGRATIONS="$source/tests/knex/port_migrations"

for command in node psql timeout cmake; do
  command -v "$command" >/dev/null || { echo "FAILED: $command is not installed" >&2; exit 1; }
done
if ! (cd "$source/tests/knex" && node -e "require('knex'); require('pg')") 2>"$work/require.err"; then
  echo "FAILED: knex is not installed in tests/knex (scripts/install-knex.sh): $(cat "$work/require.err")" >&2
  exit 1
fi

cmake --install "$build" --prefix "$work/prefix" >/dev/null || { echo "FAILED: install of $build" >&2; exit 1; }
cp -R "$source/tests/fixtures/knex_port_app" "$work/app"
if ! { cmake -S "$work/app" -B "$work/app-build" -DCMAKE_PREFIX_PATH="$work/prefix" &&
  cmake --build "$work/app-build" -j2; } >"$work/build.log" 2>&1; then
  echo "FAILED: build of the C++ ports with -Werror: $(cat "$work/build.log")" >&2
  exit 1
fi

knex_db=$(new_database knex) || exit 1
tool_db=$(new_database tool) || exit 1

# knex COMMAND: knex's migrator on knex_db; sets rc, out (stdout and stderr).
knex() { out=$(timeout "$limit" node "$source/tests/knex/migrate.js" "$1" "$knex_db" 2>&1) && rc=0 || rc=$?; }
# tool ARGS...: the C++ ports' binary on tool_db, run beside their sources; sets rc, out.
tool() {
  out=$(cd "$work/app" && timeout "$limit" "$work/app-build/knex_port_migrate" migrate "$@" -c "dbname=$tool_db" 2>&1) &&
    rc=0 || rc=$?
}

# succeeded LABEL: the last knex or tool command exited 0 (its output shown when it did not).
succeeded() {
  if [ "$rc" = 0 ]; then
    passed=$((passed + 1))
  else
    fail "$1: exit $rc: $out"
  fi
}

# The schema the migrations built: one line per column, constraint, index, view and enum type.
catalog() {
  sql "$1" <<'SQL'
WITH rel AS (
  SELECT oid, relkind FROM pg_class
   WHERE relnamespace = 'public'::regnamespace AND relname NOT LIKE 'knex\_migrations%'
)
SELECT 'column ' || a.attrelid::regclass || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
       || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
       || COALESCE(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
  FROM pg_attribute AS a JOIN rel ON rel.oid = a.attrelid AND rel.relkind IN ('r', 'v')
  LEFT JOIN pg_attrdef AS d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'constraint ' || k.conrelid::regclass || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid)
  FROM pg_constraint AS k JOIN rel ON rel.oid = k.conrelid
UNION ALL
SELECT 'index ' || pg_get_indexdef(i.indexrelid) FROM pg_index AS i JOIN rel ON rel.oid = i.indrelid
UNION ALL
SELECT 'view ' || rel.oid::regclass || ' ' || pg_get_viewdef(rel.oid) FROM rel WHERE rel.relkind = 'v'
UNION ALL
SELECT 'sequence ' || rel.oid::regclass FROM rel WHERE rel.relkind = 'S'
UNION ALL
SELECT 'type ' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
  FROM pg_type AS t JOIN pg_enum AS e ON e.enumtypid = t.oid
 WHERE t.typnamespace = 'public'::regnamespace GROUP BY t.typname
ORDER BY 1
SQL
}
# The rows of every table the migrations made, as JSON, in a stable order.
rows() {
  local table
  for table in $(sql "$1" <<<"SELECT tablename FROM pg_tables
                               WHERE schemaname = 'public' AND tablename NOT LIKE 'knex\_migrations%' ORDER BY 1"); do
    sql "$1" "t=$table" <<<"SELECT :'t' || ' ' || to_jsonb(r)::text FROM :\"t\" AS r ORDER BY 1"
  done
}
# The migrations recorded, without the extension, with their batch.
records() {
  sql "$1" <<<"SELECT regexp_replace(name, '\.(js|cpp)$', '') || ':' || batch FROM knex_migrations ORDER BY id"
}
state() { printf '%s\n--\n%s\n--\n%s\n' "$(catalog "$1")" "$(rows "$1")" "$(records "$1")"; }

# compare LABEL: the two databases hold the same schema, rows and records.
compare() {
  knex_state=$(state "$knex_db")
  expect "$1: the C++ ports leave what knex leaves" "$(state "$tool_db")" "$knex_state"
}

echo "the first four migrations one by one"
for step in 1 2 3 4; do
  knex up
  succeeded "knex up $step"
  tool up
  succeeded "tool up $step"
done
compare "after four single ups"
single_ups=$knex_state

echo "the other six as one batch"
knex latest
expect "knex latest" "$rc:$out" "0:Batch 5 run: 6 migrations
$(cd "$KNEX_MIGRATIONS" && printf '%s\n' *.js | tail -6)"
tool run
succeeded "tool run"
compare "after the batch"
batch_state=$knex_state
expect "the batch wrote report lines" "$(sql "$knex_db" <<<"SELECT count(*) > 0 FROM report_lines")" t
predicate_index="index CREATE UNIQUE INDEX accounts_email_plan_key ON public.accounts USING btree (email, plan)"
predicate_index+=" WHERE ((bio IS NOT NULL) OR (deleted_at IS NULL))"
[[ "$batch_state" == *"$predicate_index"* ]] ||
  fail "the unique index with a predicate is not in knex's schema"

echo "rollback of that batch"
knex rollback
expect "knex rollback" "$rc:$(head -1 <<<"$out")" "0:Batch 5 rolled back: 6 migrations"
tool rollback --yes
succeeded "tool rollback"
compare "after the rollback"
expect "the rollback gives back the state of the four single ups" "$knex_state" "$single_ups"

echo "the batch again"
knex latest
succeeded "knex latest again"
tool run
succeeded "tool run again"
compare "after the batch again"
expect "the batch again gives the state of the first time" "$knex_state" "$batch_state"

if [ "$failures" -ne 0 ]; then
  echo "knex port: $passed passed, $failures failed" >&2
  exit 1
fi
echo "knex port: $passed passed, 0 failed"
