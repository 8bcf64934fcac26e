#!/usr/bin/env bash
# The tool behind Debian's PgBouncer, in session and in transaction pooling mode: PgBouncer is
# started here on a loopback port, in front of the test server's Unix socket (PG* variables),
# trusting local users as the server does. In each mode: 32 runners of `run` started at once,
# 32 of `mark` at once, a migration that runs without a transaction, and `unlock`; afterwards
# the records, the advisory locks left on the server, and a direct runner that must not wait.
# Every process runs under `timeout`; runners start together on a FIFO, never on a sleep.
# In transaction pooling also a migration that waits on a lock held by a psql session: the tool
# opens no monitoring connection (the server shows one client backend of the tool), and the
# wait ends when the lock is released; the same wait on a direct connection is monitored.
# Usage: pooler_test.sh SONAMU_BINARY NONTX_FIXTURE_BINARY SOURCE_DIR LOCK_FIXTURE_BINARY
set -uo pipefail

tool=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
nontx=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
source=$(cd "$3" && pwd)
lock_fixture=$(cd "$(dirname "$4")" && pwd)/$(basename "$4")
source "$source/scripts/lib/postgres.sh"
# shellcheck source=SCRIPTDIR/lib/checks.sh
source "$source/tests/lib/checks.sh"
database_prefix=sonamu_pooler
limit=120    # seconds any single command may take
runners=32

unset DATABASE_URL NODE_ENV PGDATABASE
export NO_COLOR=1

pgbouncer=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
for command in "$pgbouncer" psql timeout; do
  command -v "$command" >/dev/null || { echo "FAILED: $command is not installed (scripts/install-deps.sh)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/sonamu-pooler.XXXXXX)
chmod 755 "$work"
mkdir "$work/empty"  # the tool runs here: no migrations/ folder to compare with its build
bouncer_pid=""
cleanup() {
  [ -n "$bouncer_pid" ] && kill "$bouncer_pid" 2>/dev/null
  drop_databases
  rm -rf "$work"
}
trap cleanup EXIT

# start_bouncer MODE [EXTRA]: PgBouncer in that pool mode on a free loopback port, with the
# settings lines EXTRA added; sets port.
start_bouncer() {
  local mode=$1 extra=${2:-} dir="$work/bouncer-$1" attempt
  make_server_dir "$dir"
  printf '"%s" ""\n' "$PGUSER" >"$dir/users.txt"
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$((20000 + (RANDOM % 20000)))
    cat >"$dir/pgbouncer.ini" <<INI
[databases]
* = host=$PGHOST port=$PGPORT
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/users.txt
pool_mode = $mode
default_pool_size = 5
max_client_conn = 200
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
$extra
INI
    [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$dir"
    rm -f "$dir/pgbouncer.log"
    as_server_user "$pgbouncer" -d "$dir/pgbouncer.ini" >"$work/bouncer.out" 2>&1 || continue
    # Ready when a client gets through to the server; bounded by `timeout`. The daemon writes
    # its pid file after it forks: read it once the daemon answers.
    if timeout 30 bash -c "until psql -h 127.0.0.1 -p $port -d postgres -qAtc 'SELECT 1' >/dev/null 2>&1; do sleep 0.1; done"; then
      bouncer_pid=$(cat "$dir/pgbouncer.pid" 2>/dev/null)
      [ -n "$bouncer_pid" ] && return 0
    fi
    bouncer_pid=$(cat "$dir/pgbouncer.pid" 2>/dev/null)
    kill "$bouncer_pid" 2>/dev/null
    bouncer_pid=""
  done
  echo "FAILED: PgBouncer ($mode) did not start: $(cat "$work/bouncer.out" "$dir/pgbouncer.log" 2>/dev/null)" >&2
  exit 1
}
stop_bouncer() {
  kill "$bouncer_pid" 2>/dev/null
  timeout 30 bash -c "while kill -0 $bouncer_pid 2>/dev/null; do sleep 0.1; done"
  bouncer_pid=""
}

through_bouncer() { echo "host=127.0.0.1 port=$port dbname=$1 user=$PGUSER"; }
directly() { echo "host=$PGHOST port=$PGPORT dbname=$1 user=$PGUSER"; }

# Sets out, err, rc: BINARY CONNINFO ARGS...
run_tool() {
  local binary=$1 conninfo=$2
  shift 2
  out=$(cd "$work/empty" && timeout "$limit" "$binary" migrate "$@" -c "$conninfo" 2>"$work/err") && rc=0 || rc=$?
  err=$(grep -v '^Environment: ' "$work/err")
}

# race LABEL DATABASE ARGS...: $runners runners of `sonamu migrate ARGS` through the pooler,
# released together; their exit codes and outputs in $work/race/N.{rc,out,err}.
race() {
  local label=$1 database=$2 i
  shift 2
  rm -rf "$work/race"
  mkdir "$work/race"
  mkfifo "$work/race/gate"
  for i in $(seq 1 "$runners"); do
    (
      read -r _ <"$work/race/gate"
      cd "$work/empty" && timeout "$limit" "$tool" migrate "$@" -c "$(through_bouncer "$database")" \
        >"$work/race/$i.out" 2>"$work/race/$i.err"
      echo $? >"$work/race/$i.rc"
    ) &
  done
  # Held open for reading and writing here: opening never blocks, and the lines written wait in
  # the pipe for runners that open it later, however late they come.
  exec 6<>"$work/race/gate"
  for i in $(seq 1 "$runners"); do echo go >&6; done
  wait
  exec 6>&-
}
# count_rc CODE: how many race runners exited with CODE.
count_rc() { cat "$work/race/"*.rc | grep -cx "$1"; }
show_failures() {
  local i
  for i in $(seq 1 "$runners"); do
    if [ "$(cat "$work/race/$i.rc")" != "$1" ] && ! grep -qx "$2" "$work/race/$i.rc"; then
      echo "    runner $i: exit $(cat "$work/race/$i.rc"): $(cat "$work/race/$i.out" "$work/race/$i.err" | tr '\n' ' ')" >&2
    fi
  done
}

# Advisory locks held in DATABASE by anyone (an idle pooled server connection included).
advisory_locks() {
  sql postgres "db=$1" <<'SQL'
SELECT count(*) FROM pg_locks
 WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = :'db')
SQL
}

check_mode() {
  local mode=$1 db applied marks
  start_bouncer "$mode"
  echo "$mode pooling: PgBouncer on 127.0.0.1:$port"

  db=$(new_database "run_$mode") || exit 1
  race "$mode: run race" "$db" run
  expect "$mode: run race: every runner exits 0" "$(count_rc 0)" "$runners"
  [ "$(count_rc 0)" = "$runners" ] || show_failures 0 0
  applied=$(grep -l '^Batch 1 run: 6 migrations' "$work/race/"*.out | wc -l)
  expect "$mode: run race: exactly one runner applies the batch" "$applied" 1
  expect "$mode: run race: the others are up to date" \
    "$(grep -lx 'Already up to date' "$work/race/"*.out | wc -l)" "$((runners - 1))"
  expect "$mode: run race: six records, each once, in batch 1" \
    "$(sql "$db" <<<"SELECT count(*) || ':' || count(DISTINCT name) || ':' || max(batch) FROM knex_migrations")" "6:6:1"
  expect "$mode: run race: no advisory lock is left on the server" "$(advisory_locks "$db")" 0
  expect "$mode: run race: the knex lock row is free" \
    "$(sql "$db" <<<"SELECT count(*) || ':' || max(is_locked) FROM knex_migrations_lock")" "1:0"
  # A direct runner right after: nothing it has to wait for.
  run_tool "$tool" "$(directly "$db")" rollback --all --yes --lock-timeout 5
  expect "$mode: a direct rollback --all after the race: exit code" "$rc" 0
  [ "$rc" = 0 ] || echo "    $err" >&2

  db=$(new_database "mark_$mode") || exit 1
  race "$mode: mark race" "$db" mark 20251220143022_create__users --yes
  expect "$mode: mark race: exactly one runner records it" "$(count_rc 0)" 1
  expect "$mode: mark race: the others are told it is recorded (exit 2)" "$(count_rc 2)" "$((runners - 1))"
  [ "$(count_rc 0):$(count_rc 2)" = "1:$((runners - 1))" ] || show_failures 0 2
  marks=$(sql "$db" <<<"SELECT count(*) FROM knex_migrations WHERE name LIKE '20251220143022_create__users%'")
  expect "$mode: mark race: one record" "$marks" 1
  expect "$mode: mark race: no advisory lock is left on the server" "$(advisory_locks "$db")" 0

  run_tool "$tool" "$(through_bouncer "$db")" unlock
  expect "$mode: unlock through the pooler: exit code" "$rc" 0
  [ "$rc" = 0 ] || echo "    $err" >&2

  db=$(new_database "nontx_$mode") || exit 1
  run_tool "$nontx" "$(through_bouncer "$db")" run
  # Behind either pool mode: the lock lives in each transaction, so nothing protects a
  # migration outside one.
  expect "$mode: a migration without a transaction is refused: exit code" "$rc" 2
  case "$err" in
    *"runs without a transaction"*"connection pooler (here: $mode pooling; PgBouncer pool_mode = $mode)"*"connect directly"*)
      passed=$((passed + 1)) ;;
    *) fail "$mode: the refusal names the pooler mode and the fix: [$err]" ;;
  esac
  expect "$mode: the refusal changes nothing" \
    "$(sql "$db" <<<"SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" 0
  # The same migrations run directly.
  run_tool "$nontx" "$(directly "$db")" run
  expect "$mode: the same migrations directly: exit code" "$rc" 0
  expect "$mode: no advisory lock is left on the server" "$(advisory_locks "$db")" 0
  # Behind a pooler a second connection cannot be trusted to find the migration's server
  # session: no monitor is opened.
  if [ "$mode" = transaction ]; then
    check_lock_wait "$mode" through_bouncer 1 0
  else
    check_lock_wait "$mode" through_bouncer 2 0
  fi
  stop_bouncer
}

# wait_for DESCRIPTION COMMAND...: polls COMMAND until it succeeds, for at most 60 s.
wait_for() {
  local deadline=$((SECONDS + 60))
  until "${@:2}"; do
    [ "$SECONDS" -lt "$deadline" ] || { fail "$1"; return 1; }
    sleep 0.1
  done
}

# Whether a statement in DATABASE has waited for a lock for more than 3 seconds.
waits_long() {
  [ "$(sql postgres "db=$1" <<'SQL'
SELECT count(*) FROM pg_stat_activity
 WHERE datname = :'db' AND wait_event_type = 'Lock' AND now() - query_start > interval '3 seconds'
SQL
)" = 1 ]
}

# Client backends of DATABASE, but the one with pid EXCEPT: "pid|state|application_name".
tool_backends() {
  sql postgres "db=$1" "except=$2" <<'SQL'
SELECT pid || '|' || coalesce(state, '') || '|' || coalesce(application_name, '')
  FROM pg_stat_activity
 WHERE datname = :'db' AND backend_type = 'client backend' AND pid <> :except
 ORDER BY pid
SQL
}

# check_lock_wait LABEL HOW EXPECTED_BACKENDS EXPECTED_MONITORS: the lock fixture's migration
# run through HOW (through_bouncer or directly) while a psql session holds a lock on "users";
# once it has waited three times the monitor's threshold (1 s), the tool's client backends on
# the server must be EXPECTED_BACKENDS (a session pool keeps the pool-mode probe's server
# connection, idle), EXPECTED_MONITORS of them the monitor's; then the lock is released and
# the migration must succeed.
check_lock_wait() {
  local label=$1 how=$2 expected=$3 monitors=$4 db holder holder_pid backends tool_pid
  db=$(new_database "wait_$RANDOM") || exit 1
  sql "$db" <<<'CREATE TABLE "users" ("id" serial PRIMARY KEY)'
  rm -f "$work/holder.in" "$work/holder.out"
  mkfifo "$work/holder.in"
  psql -d "$db" -qAtX <"$work/holder.in" >"$work/holder.out" 2>&1 &
  holder=$!
  exec 5>"$work/holder.in"
  echo "BEGIN; LOCK TABLE users IN ACCESS SHARE MODE; SELECT 'held ' || pg_backend_pid();" >&5
  wait_for "$label: the psql session takes its lock" grep -q '^held ' "$work/holder.out"
  holder_pid=$(sed -n 's/^held //p' "$work/holder.out")
  (cd "$work/empty" && exec timeout "$limit" "$lock_fixture" migrate run -c "$($how "$db")" \
    >"$work/wait.out" 2>"$work/wait.err") &
  tool_pid=$!
  # The server's word that the migration waits, and for how long.
  wait_for "$label: the migration waits for the psql session's lock (3 s)" waits_long "$db"
  backends=$(tool_backends "$db" "$holder_pid")
  expect "$label: the tool's client backends on the server" "$(grep -c . <<<"$backends")" "$expected"
  [ "$(grep -c . <<<"$backends")" = "$expected" ] || echo "    $backends" >&2
  expect "$label: backends of the lock monitor" \
    "$(grep -c '|sonamu-migrate lock monitor$' <<<"$backends")" "$monitors"
  echo "COMMIT;" >&5
  exec 5>&-
  wait "$holder"
  wait "$tool_pid" && rc=0 || rc=$?
  expect "$label: once the lock is released the migration ends: exit code" "$rc" 0
  expect "$label: its output" "$(cat "$work/wait.out")" \
    "Batch 1 run: 1 migration
[ok] 20240301000001_add_nickname.cpp"
  [ "$rc" = 0 ] || echo "    $(cat "$work/wait.err")" >&2
  expect "$label: the column is there" \
    "$(sql "$db" <<<"SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'nickname'")" 1
}

# Directly, the wait is watched from a second connection: the observation can see one.
check_lock_wait "direct" directly 2 1

# check_schemas_fleet: a `schemas` fleet of one database through a transaction pooler that
# resets each server connection after each transaction (DISCARD ALL), as many deployments do:
# a session's search_path is gone by the next transaction, so each tenant's migrations must
# still land in its own schema and nowhere else.
check_schemas_fleet() {
  local db schema
  start_bouncer transaction "server_reset_query = DISCARD ALL
server_reset_query_always = 1"
  echo "schemas fleet: PgBouncer (transaction pooling, reset after each transaction) on 127.0.0.1:$port"
  db=$(new_database "schemas") || exit 1
  sql "$db" <<<'CREATE SCHEMA "tenant_1"; CREATE SCHEMA "tenant_2"; CREATE SCHEMA "tenant_3"'
  mkdir -p "$work/fleet"
  cat >"$work/fleet/sonamu.config.json" <<JSON
{ "fleets": { "tenants": { "connection": "$(through_bouncer "$db")",
  "schemas": "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant%' ORDER BY 1" } } }
JSON
  out=$(cd "$work/fleet" && timeout "$limit" "$tool" migrate run --fleet tenants --parallel 3 2>"$work/err") &&
    rc=0 || rc=$?
  expect "schemas fleet through the pooler: exit code" "$rc" 0
  [ "$rc" = 0 ] || echo "    $(cat "$work/err")" >&2
  expect "schemas fleet through the pooler: its summary" "$out" "3 migrated"
  for schema in tenant_1 tenant_2 tenant_3; do
    expect "schemas fleet through the pooler: $schema holds the users table and six records" \
      "$(sql "$db" "s=$schema" <<<"SELECT (to_regclass(quote_ident(:'s') || '.users') IS NOT NULL) || ':' || (SELECT count(*) FROM pg_tables WHERE schemaname = :'s' AND tablename = 'knex_migrations')")" "true:1"
    expect "schemas fleet through the pooler: $schema's records" \
      "$(sql "$db" "s=$schema" <<<"SELECT count(*) FROM ${schema}.knex_migrations")" 6
  done
  expect "schemas fleet through the pooler: nothing landed in public" \
    "$(sql "$db" <<<"SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" 0
  stop_bouncer
}

# check_leaked_search_path: a transaction pooler with one server connection, on which another
# client has left `SET search_path TO t_05` (a plain SET outlives its transaction there). The
# tool's `run` through it must create its tables where its bookkeeping says (public); its
# `rollback --all` through it (of a database migrated directly) must drop them there, leaving
# the other client's t_05.users alone.
check_leaked_search_path() {
  local db tables
  start_bouncer transaction "default_pool_size = 1"
  echo "leaked search_path: PgBouncer (transaction pooling, one server connection) on 127.0.0.1:$port"
  tables="SELECT coalesce(string_agg(schemaname || '.' || tablename, ',' ORDER BY schemaname, tablename), '') FROM pg_tables
           WHERE schemaname IN ('public', 't_05') AND tablename NOT LIKE 'knex\_migrations%'"
  db=$(new_database "leak_run") || exit 1
  sql "$db" <<<'CREATE SCHEMA "t_05"; CREATE TABLE "t_05"."keep" ("id" integer)'
  leak() { psql -d "$(through_bouncer "$1")" -qAtX -c 'SET search_path TO t_05' >/dev/null; }
  leak "$db"
  expect "leaked search_path: the next client of the pooler gets it" \
    "$(psql -d "$(through_bouncer "$db")" -qAtX -c 'SHOW search_path')" "t_05"
  leak "$db"
  run_tool "$tool" "$(through_bouncer "$db")" run
  expect "leaked search_path: run: exit code" "$rc" 0
  [ "$rc" = 0 ] || echo "    $err" >&2
  expect "leaked search_path: run: the tables are in public, next to the six records" \
    "$(sql "$db" <<<"$tables")|$(sql "$db" <<<"SELECT count(*) FROM public.knex_migrations")" \
    "public.posts,public.users,t_05.keep|6"

  db=$(new_database "leak_rollback") || exit 1
  run_tool "$tool" "$(directly "$db")" run
  expect "leaked search_path: a direct run: exit code" "$rc" 0
  sql "$db" <<<'CREATE SCHEMA "t_05"; CREATE TABLE "t_05"."users" ("tenant_row" integer)'
  leak "$db"
  run_tool "$tool" "$(through_bouncer "$db")" rollback --all --yes
  expect "leaked search_path: rollback --all: exit code" "$rc" 0
  [ "$rc" = 0 ] || echo "    $err" >&2
  expect "leaked search_path: rollback --all: public's tables are gone, the other client's t_05.users is not" \
    "$(sql "$db" <<<"$tables")|$(sql "$db" <<<"SELECT count(*) FROM public.knex_migrations")" "t_05.users|0"
  stop_bouncer
}

check_mode session
check_mode transaction
check_schemas_fleet
check_leaked_search_path

echo "pooler: $passed checks passed, $failures failed"
[ "$failures" -eq 0 ]
