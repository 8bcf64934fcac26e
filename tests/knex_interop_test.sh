#!/usr/bin/env bash
# knex 3 itself (tests/knex/migrate.js: knex.migrate.latest / list / rollback, with the JS twins
# of migrations/ in tests/knex/migrations) and the sonamu binary on one database, both ways, and
# racing each other. Each scenario gets its own database on the test server (PG* variables),
# dropped at the end. Every process runs under `timeout`; runners that must start together wait
# on a FIFO, never on a sleep.
# Usage: knex_interop_test.sh SONAMU_BINARY SOURCE_DIR
set -uo pipefail

tool=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
source=$(cd "$2" && pwd)
driver="$source/tests/knex/migrate.js"
limit=120  # seconds any single command may take

# shellcheck source=SCRIPTDIR/lib/checks.sh
source "$source/tests/lib/checks.sh"
database_prefix=sonamu_knex

work=$(mktemp -d /tmp/sonamu-knex.XXXXXX)
mkdir "$work/empty"  # the tool runs here: no migrations/ folder to compare with its build
cleanup() {
  drop_databases
  rm -rf "$work"
}
trap cleanup EXIT

unset DATABASE_URL NODE_ENV PGDATABASE
export NO_COLOR=1  # [ok] / [pending] marks: stable whatever the terminal

for command in node psql timeout; do
  command -v "$command" >/dev/null || { echo "FAILED: $command is not installed" >&2; exit 1; }
done
if ! (cd "$source/tests/knex" && node -e "require('knex'); require('pg')") 2>"$work/require.err"; then
  echo "FAILED: knex is not installed in tests/knex (scripts/install-knex.sh): $(cat "$work/require.err")" >&2
  exit 1
fi

names=(
  20251220143022_create__users 20251220143100_create__posts 20251220143200_alter_users_add1
  20251220143300_alter_posts_add1 20251220150000_alter_users_add2 20251220150100_alter_posts_add2
)
# lines PREFIX SUFFIX [reverse]: one line per migration name.
lines() {
  local i order=(0 1 2 3 4 5)
  [ "${3:-}" = reverse ] && order=(5 4 3 2 1 0)
  for i in "${order[@]}"; do printf '%s%s%s\n' "$1" "${names[$i]}" "$2"; done
}

# Sets out, err, rc.
run_knex() {
  out=$(timeout "$limit" node "$driver" "$1" "$2" 2>"$work/err") && rc=0 || rc=$?
  err=$(cat "$work/err")
}
# run_tool DATABASE ARGS...: `sonamu migrate ARGS -c dbname=DATABASE`; sets out, err (without
# the "Environment: ..." line that writing commands print first), rc.
run_tool() {
  local database=$1
  shift
  out=$(cd "$work/empty" && timeout "$limit" "$tool" migrate "$@" -c "dbname=$database" 2>"$work/err") && rc=0 || rc=$?
  err=$(grep -v '^Environment: ' "$work/err")
}

# Tables, columns, constraints and indexes of the public schema other than the bookkeeping.
catalog() {
  sql "$1" <<'SQL'
SELECT 'column ' || c.table_name || '.' || c.column_name || ' ' || c.udt_name || ' '
       || COALESCE(c.character_maximum_length::text, '-') || ' ' || c.is_nullable || ' '
       || COALESCE(c.column_default, '-')
  FROM information_schema.columns AS c
 WHERE c.table_schema = 'public' AND c.table_name NOT LIKE 'knex\_migrations%'
UNION ALL
SELECT 'constraint ' || k.conrelid::regclass::text || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid)
  FROM pg_constraint AS k
 WHERE k.connamespace = 'public'::regnamespace AND k.conrelid::regclass::text NOT LIKE 'knex\_migrations%'
UNION ALL
SELECT 'index ' || i.indexname || ' ' || i.indexdef
  FROM pg_indexes AS i
 WHERE i.schemaname = 'public' AND i.tablename NOT LIKE 'knex\_migrations%'
ORDER BY 1
SQL
}
# Tables of the public schema other than the bookkeeping (knex's two, the tool's history),
# comma-separated.
tables() {
  sql "$1" <<'SQL'
SELECT COALESCE(string_agg(tablename, ',' ORDER BY tablename), '')
  FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'knex\_migrations%'
SQL
}
# Rows of knex_migrations as NAME:BATCH, in id order, one per line.
records() {
  sql "$1" <<'SQL'
SELECT name || ':' || batch FROM knex_migrations ORDER BY id
SQL
}
lock_rows() {
  sql "$1" <<'SQL'
SELECT count(*) || ':' || COALESCE(max(is_locked), -1) FROM knex_migrations_lock
SQL
}

applied_tables="posts,users"

# ---------------------------------------------------------------------------------------------
echo "knex migrate.latest, then the tool's status and rollback"
db=$(new_database knex_first) || exit 1
run_knex latest "$db"
expect "knex latest: exit code" "$rc" 0
expect "knex latest: output" "$out" "Batch 1 run: 6 migrations
$(lines "" .js)"
expect "knex latest: stderr" "$err" ""
knex_catalog=$(catalog "$db")
expect "knex latest: the migrations' tables" "$(tables "$db")" "$applied_tables"

run_tool "$db" status --extension .js
expect "tool status after knex: exit code" "$rc" 0
expect "tool status after knex: output" "$out" "Executed migrations (Batch 1):
$(lines "  [ok] " .js)

No pending migrations"
expect "tool status after knex: stderr" "$err" ""

run_tool "$db" rollback --yes --extension .js
expect "tool rollback after knex: exit code" "$rc" 0
expect "tool rollback after knex: output" "$out" "Batch 1 rolled back: 6 migrations
$(lines "[ok] " .js reverse)"
expect "tool rollback after knex: stderr" "$err" ""
expect "tool rollback after knex: no migration table is left" "$(tables "$db")" ""
expect "tool rollback after knex: catalog" "$(catalog "$db")" ""
expect "tool rollback after knex: no records" "$(records "$db")" ""
expect "tool rollback after knex: lock row" "$(lock_rows "$db")" "1:0"

run_knex list "$db"
expect "knex list after the tool's rollback: exit code" "$rc" 0
expect "knex list after the tool's rollback: output" "$out" "$(lines "pending " .js)"

# ---------------------------------------------------------------------------------------------
echo "the tool's run, then knex migrate.list and migrate.rollback"
db=$(new_database tool_first) || exit 1
run_tool "$db" run --extension .js
expect "tool run: exit code" "$rc" 0
expect "tool run: output" "$out" "Batch 1 run: 6 migrations
$(lines "[ok] " .js)"
expect "tool run: stderr" "$err" ""
expect "tool run: the same catalog as knex's migrations build" "$(catalog "$db")" "$knex_catalog"
expect "tool run: records" "$(records "$db")" "$(lines "" .js:1)"
# The hash of each applied source sits in a table of its own next to knex's, which knex ignores.
expect "tool run: applied sources recorded" \
  "$(sql "$db" <<<"SELECT count(*) FROM knex_migrations_sources WHERE length(source_hash) = 64")" 6

run_knex list "$db"
expect "knex list after the tool's run: exit code" "$rc" 0
expect "knex list after the tool's run: six completed, none pending" "$out" "$(lines "completed " .js)"
expect "knex list after the tool's run: stderr" "$err" ""

run_knex rollback "$db"
expect "knex rollback after the tool's run: exit code" "$rc" 0
expect "knex rollback after the tool's run: output" "$out" "Batch 1 rolled back: 6 migrations
$(lines "" .js reverse)"
expect "knex rollback after the tool's run: stderr" "$err" ""
expect "knex rollback after the tool's run: no migration table is left" "$(tables "$db")" ""

run_tool "$db" status --extension .js
expect "tool status after knex's rollback: exit code" "$rc" 0
expect "tool status after knex's rollback: output" "$out" "No executed migrations

Pending migrations:
$(lines "  [pending] " .js)"

# knex migrates and rolls back as before with the tool's sources table present.
expect "knex's rollback leaves the tool's sources table" "$(sql "$db" <<<"SELECT to_regclass('knex_migrations_sources') IS NOT NULL")" t
run_knex latest "$db"
expect "knex latest beside the sources table: exit code" "$rc" 0
expect "knex latest beside the sources table: output" "$out" "Batch 1 run: 6 migrations
$(lines "" .js)"
expect "knex latest beside the sources table: stderr" "$err" ""
run_tool "$db" status --extension .js
expect "tool status after knex's latest beside the sources table" "$rc:$out" "0:Executed migrations (Batch 1):
$(lines "  [ok] " .js)

No pending migrations"
run_knex rollback "$db"
expect "knex rollback beside the sources table: exit code" "$rc" 0
expect "knex rollback beside the sources table: output" "$out" "Batch 1 rolled back: 6 migrations
$(lines "" .js reverse)"

# ---------------------------------------------------------------------------------------------
# The tool started while knex is in the middle of its batch: knex's transaction holds its lock
# row (is_locked = 1, uncommitted) and its first migration, creating "users", waits for a
# session of this test that created a "users" of its own and has not committed. Everything
# synchronises on rows of pg_stat_activity and pg_locks, never on a sleep.

# wait_for DATABASE WHAT QUERY: polls QUERY (a count) until it is 1, at most $limit seconds.
wait_for() {
  local deadline=$((SECONDS + limit))
  until [ "$(sql "$1" <<<"$3")" = 1 ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      fail "timed out waiting for $2"
      return 1
    fi
    sleep 0.05  # the polling interval of a catalog query; the row decides
  done
}
# waiting APPLICATION QUERY_PREFIX: the query counting that application's statement waiting
# for a lock.
waiting() {
  printf "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = '%s' AND wait_event_type = 'Lock' AND query LIKE '%s%%'" "$1" "$2"
}

# mid_batch LABEL TOOL_ARGS...: knex mid-batch, then the tool with TOOL_ARGS; sets rc, out,
# err of the tool, and knex_rc, knex_out.
mid_batch() {
  local label=$1 db knex_pid tool_pid
  shift
  db=$(new_database "mid_batch_$label") || exit 1
  run_knex list "$db"  # knex's tables exist before its batch, as in the races below
  coproc HOLDER { PGAPPNAME=holder psql -d "$db" -qAtX -v ON_ERROR_STOP=1 >/dev/null 2>&1; }
  echo 'BEGIN; CREATE TABLE users (held integer);' >&"${HOLDER[1]}"
  wait_for "$db" "$label: the test's uncommitted users table" \
    "SELECT count(*) FROM pg_stat_activity a WHERE a.datname = current_database() AND a.application_name = 'holder' AND a.state = 'idle in transaction' AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock' AND l.granted)"
  PGAPPNAME=knex-batch timeout "$limit" node "$driver" latest "$db" >"$work/$label.knex.out" 2>"$work/$label.knex.err" &
  knex_pid=$!
  wait_for "$db" "$label: knex's first migration waiting mid-batch" "$(waiting knex-batch 'create table "users"')"
  expect "$label: knex holds its lock row, uncommitted" "$(lock_rows "$db")" "1:0"
  (cd "$work/empty" && PGAPPNAME=tool-run exec timeout "$limit" "$tool" migrate run --extension .js -c "dbname=$db" "$@") \
    >"$work/$label.tool.out" 2>"$work/$label.tool.err" &
  tool_pid=$!
  if [ "${1:-}" = --lock-timeout ]; then
    # The tool gives up on its own (knex cannot move until the test lets it); only then is
    # knex released.
    wait "$tool_pid" && rc=0 || rc=$?
    tool_pid=
  else
    wait_for "$db" "$label: the tool waiting for knex's lock row" "$(waiting tool-run 'UPDATE "public"."knex_migrations_lock"')"
  fi
  echo 'ROLLBACK;' >&"${HOLDER[1]}"
  local holder_pid=$HOLDER_PID
  eval "exec ${HOLDER[1]}>&-"
  wait "$holder_pid" || true
  wait "$knex_pid" && knex_rc=0 || knex_rc=$?
  knex_out=$(cat "$work/$label.knex.out")
  if [ -n "$tool_pid" ]; then
    wait "$tool_pid" && rc=0 || rc=$?
  fi
  out=$(cat "$work/$label.tool.out")
  err=$(grep -v '^Environment: ' "$work/$label.tool.err")
  expect "$label: knex's batch" "$knex_rc:$knex_out" "0:Batch 1 run: 6 migrations
$(lines "" .js)"
  expect "$label: six records of knex's one batch" "$(records "$db")" "$(lines "" .js:1)"
  expect "$label: the migrations' tables" "$(tables "$db")" "$applied_tables"
  expect "$label: lock row released" "$(lock_rows "$db")" "1:0"
}

echo "knex mid-batch, the tool's run waits for knex's lock row, then finds knex's batch applied"
mid_batch waits
expect "knex mid-batch: the tool's run is up to date" "$rc:$out:$err" "0:Already up to date:"

echo "knex mid-batch past the tool's --lock-timeout: exit 5"
mid_batch gives_up --lock-timeout 1
expect "knex mid-batch past --lock-timeout: exit 5, one line" "$rc:$out:$err" \
  "5::Error: Timed out after 1s waiting for public.knex_migrations_lock: a knex migration holds it"

# ---------------------------------------------------------------------------------------------
# knex runners connect first and wait at a gate. "together": the tool runners are started and
# the gate opened at once. "knex-first": the gate opens, and the tool runners start the moment
# the first knex runner sends its lock statement, so they meet knex's batch in progress.
# The outcomes each side documents: knex succeeds or fails with "Migration table is already
# locked"; the tool exits 0 (the batch, or "Already up to date") or 5 (locked).
race() {
  local round=$1 mode=$2 db i pid
  db=$(new_database "race$round") || exit 1
  # knex creates its bookkeeping tables without a lock (CREATE TABLE after a hasTable check), so
  # knex runners starting on a new database fail against each other with "relation already
  # exists": knex's own limit, not the one under test. The tables exist before the race.
  run_knex list "$db"
  expect "race $round: knex creates its tables" "$rc:$(lock_rows "$db")" "0:1:0"
  local ready="$work/ready$round" gate="$work/gate$round" locking="$work/locking$round"
  mkfifo "$ready" "$gate" "$locking"
  # Held open for reading and writing: opening never blocks, and bytes written wait in the pipe
  # for runners that open it later.
  exec 7<>"$ready" 8<>"$gate" 9<>"$locking"
  local knex_pids=() tool_pids=()
  for i in 1 2 3 4; do
    timeout "$limit" node "$driver" latest "$db" "$ready" "$gate" "$locking" \
      >"$work/knex$round.$i.out" 2>"$work/knex$round.$i.err" &
    knex_pids+=($!)
  done
  for i in 1 2 3 4; do
    if ! read -r -t "$limit" -u 7 _; then
      fail "race $round: knex runner $i never became ready"
    fi
  done
  if [ "$mode" = knex-first ]; then
    printf 'gggg' >&8
    read -r -t "$limit" -u 9 _ || fail "race $round: no knex runner sent its lock statement"
  fi
  for i in 1 2 3 4; do
    (cd "$work/empty" && exec timeout "$limit" "$tool" migrate run --extension .js -c "dbname=$db") \
      >"$work/tool$round.$i.out" 2>"$work/tool$round.$i.err" &
    tool_pids+=($!)
  done
  [ "$mode" = together ] && printf 'gggg' >&8
  local batches=0 tally=""
  i=0
  for pid in "${knex_pids[@]}"; do
    i=$((i + 1))
    wait "$pid" && rc=0 || rc=$?
    out=$(cat "$work/knex$round.$i.out")
    err=$(cat "$work/knex$round.$i.err")
    if [ "$rc" = 0 ] && [ "$out" = "Batch 1 run: 6 migrations
$(lines "" .js)" ]; then
      batches=$((batches + 1)) tally+=" knex:batch"
    elif [ "$rc" = 0 ] && [ "$out" = "Already up to date" ]; then
      tally+=" knex:up-to-date"
    elif [ "$rc" = 1 ] && [ -z "$out" ] && [ "$err" = "error: Migration table is already locked" ]; then
      tally+=" knex:locked"
    else
      fail "race $round: knex runner $i: exit $rc, stdout [$out], stderr [$err]"
    fi
  done
  i=0
  for pid in "${tool_pids[@]}"; do
    i=$((i + 1))
    wait "$pid" && rc=0 || rc=$?
    out=$(cat "$work/tool$round.$i.out")
    err=$(grep -v '^Environment: ' "$work/tool$round.$i.err")
    if [ "$rc" = 0 ] && [ -z "$err" ] && [ "$out" = "Batch 1 run: 6 migrations
$(lines "[ok] " .js)" ]; then
      batches=$((batches + 1)) tally+=" tool:batch"
    elif [ "$rc" = 0 ] && [ -z "$err" ] && [ "$out" = "Already up to date" ]; then
      tally+=" tool:up-to-date"
    elif [ "$rc" = 5 ] && [ -z "$out" ] && [[ "$err" == *"Migration table is already locked"* ]]; then
      tally+=" tool:locked(5)"
    elif [ "$rc" = 1 ] && [[ "$err" == *"Error running 20251220143022_create__users.js"*"already exists"* ]]; then
      # A false failure of the tool, not a documented outcome: it read knex_migrations before
      # knex's batch committed, waited on knex's lock row, and then ran the migrations knex had
      # just applied. Expected: "Already up to date" (exit 0) or exit 5.
      tally+=" tool:STALE-PLAN(1)"
      fail "race $round: tool runner $i: BUG: ran a plan read before knex's batch committed: exit 1, stderr [$err]"
    else
      fail "race $round: tool runner $i: exit $rc, stdout [$out], stderr [$err]"
    fi
  done
  exec 7>&- 8>&- 9>&-
  echo "  outcomes:$tally"
  expect "race $round: exactly one runner ran the batch" "$batches" 1
  expect "race $round: six records, one batch" "$(records "$db")" "$(lines "" .js:1)"
  expect "race $round: the migrations' tables" "$(tables "$db")" "$applied_tables"
  expect "race $round: the catalog the migrations build" "$(catalog "$db")" "$knex_catalog"
  expect "race $round: lock row released" "$(lock_rows "$db")" "1:0"
}

for round in 1 2 3 4 5 6; do
  mode=together
  [ "$round" -gt 3 ] && mode=knex-first
  echo "race $round ($mode): 4 knex and 4 tool runners on one new database"
  race "$round" "$mode"
done

# ---------------------------------------------------------------------------------------------
# knex and the tool creating the bookkeeping tables of a new database at the same moment. A
# session of this test creates knex_migrations first and keeps it uncommitted: knex's CREATE
# TABLE and the tool's both wait for it; then it rolls back, both go at once, and the one that
# loses waits for the winner's commit (PostgreSQL then fails its CREATE TABLE with a duplicate
# in pg_type's unique index, IF NOT EXISTS or not). knex takes no lock around its creation and
# fails then: its own limit. The tool never does: it takes the tables the winner created.
creation_race() {
  local round=$1 db knex_pid tool_pid
  db=$(new_database "creation$round") || exit 1
  coproc HOLDER { PGAPPNAME=holder psql -d "$db" -qAtX -v ON_ERROR_STOP=1 >/dev/null 2>&1; }
  echo 'BEGIN; CREATE TABLE knex_migrations (held integer);' >&"${HOLDER[1]}"
  wait_for "$db" "creation race $round: the test's uncommitted knex_migrations" \
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'holder' AND state = 'idle in transaction' AND backend_xid IS NOT NULL"
  PGAPPNAME=knex-create timeout "$limit" node "$driver" latest "$db" >"$work/create$round.knex.out" 2>"$work/create$round.knex.err" &
  knex_pid=$!
  wait_for "$db" "creation race $round: knex's CREATE TABLE waiting" "$(waiting knex-create 'create table "knex_migrations"')"
  # The tool's wait is bounded by its lock_timeout (5 s): it starts only once knex waits.
  (cd "$work/empty" && PGAPPNAME=tool-create exec timeout "$limit" "$tool" migrate run --extension .js -c "dbname=$db") \
    >"$work/create$round.tool.out" 2>"$work/create$round.tool.err" &
  tool_pid=$!
  wait_for "$db" "creation race $round: the tool's CREATE TABLE waiting" \
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'tool-create' AND wait_event_type = 'Lock' AND query LIKE '%CREATE TABLE \"public\".\"knex_migrations\" %'"
  echo 'ROLLBACK;' >&"${HOLDER[1]}"
  local holder_pid=$HOLDER_PID
  eval "exec ${HOLDER[1]}>&-"
  wait "$holder_pid" || true
  wait "$knex_pid" && knex_rc=0 || knex_rc=$?
  wait "$tool_pid" && rc=0 || rc=$?
  local knex_out knex_err batches=0 tally=""
  knex_out=$(cat "$work/create$round.knex.out")
  knex_err=$(cat "$work/create$round.knex.err")
  out=$(cat "$work/create$round.tool.out")
  err=$(grep -v '^Environment: ' "$work/create$round.tool.err")
  if [ "$knex_rc" = 0 ] && [ "$knex_out" = "Batch 1 run: 6 migrations
$(lines "" .js)" ]; then
    batches=$((batches + 1)) tally+=" knex:batch"
  elif [ "$knex_rc" = 0 ] && [ "$knex_out" = "Already up to date" ]; then
    tally+=" knex:up-to-date"
  elif [ "$knex_rc" = 1 ] && [ "$knex_err" = "error: Migration table is already locked" ]; then
    tally+=" knex:locked"  # knex also warns about it on stdout
  elif [ "$knex_rc" = 1 ] && [ -z "$knex_out" ] && [[ "$knex_err" == "error: create table"*"duplicate key value violates unique constraint"* ||
    "$knex_err" == "error: create table"*"already exists"* ]]; then
    tally+=" knex:beaten-at-creation"
  else
    fail "creation race $round: knex: exit $knex_rc, stdout [$knex_out], stderr [$knex_err]"
  fi
  if [ "$rc" = 0 ] && [ -z "$err" ] && [ "$out" = "Batch 1 run: 6 migrations
$(lines "[ok] " .js)" ]; then
    batches=$((batches + 1)) tally+=" tool:batch"
  elif [ "$rc" = 0 ] && [ -z "$err" ] && [ "$out" = "Already up to date" ]; then
    tally+=" tool:up-to-date"
  elif [ "$rc" = 5 ] && [ -z "$out" ] && [[ "$err" == *"Migration table is already locked"* ]]; then
    tally+=" tool:locked(5)"
  else
    fail "creation race $round: the tool: exit $rc, stdout [$out], stderr [$err]"
  fi
  echo "  outcomes:$tally"
  expect "creation race $round: exactly one runner ran the batch" "$batches" 1
  expect "creation race $round: six records, one batch" "$(records "$db")" "$(lines "" .js:1)"
  expect "creation race $round: the migrations' tables" "$(tables "$db")" "$applied_tables"
  expect "creation race $round: the catalog the migrations build" "$(catalog "$db")" "$knex_catalog"
}

for round in $(seq 1 15); do
  echo "creation race $round: knex and the tool creating the bookkeeping tables of a new database"
  creation_race "$round"
done

if [ "$failures" -ne 0 ]; then
  echo "knex interop: $passed passed, $failures failed" >&2
  exit 1
fi
echo "knex interop: $passed passed, 0 failed"
