#!/usr/bin/env bash
# A targets fleet over two servers (the test server, PG* variables, and a second throwaway
# cluster this test starts and removes) respects the per-server budget: each target's
# migration waits up to 2 s for a second fleet session on its server and records how many it
# saw. With the fleet's `parallelPerServer: 1` and `--parallel 4`, no server ever has two;
# with `--parallel-per-server 4` (the flag overrides the key) they do, so the check can fail.
# Usage: fleet_servers_test.sh PROBE_BINARY SOURCE_DIR
set -euo pipefail

probe=$1
source=$2
# shellcheck source=SCRIPTDIR/../scripts/lib/postgres.sh
source "$source/scripts/lib/postgres.sh"
fail() { echo "FAILED: $*" >&2; exit 1; }

first_host=$PGHOST
first_port=$PGPORT
first_user=$PGUSER
work=$(mktemp -d -t sonamu-fleet-servers.XXXXXX)
databases="sonamu_fleet_servers_1 sonamu_fleet_servers_2 sonamu_fleet_servers_3"
cleanup() {
  for database in $databases; do
    PGHOST=$first_host PGPORT=$first_port psql -qAtc "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" \
      >/dev/null 2>&1 || true
  done
  throwaway_stop
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

throwaway_init
throwaway_start
second_host=$PGHOST
export PGHOST=$first_host PGPORT=$first_port PGUSER=$first_user PGCONNECT_TIMEOUT=10

targets=()
for host in "$first_host" "$second_host"; do
  for database in $databases; do
    PGHOST=$host psql -qAtc "CREATE DATABASE \"$database\""
    targets+=("\"host=$host port=5432 user=postgres dbname=$database\"")
  done
done
list=$(IFS=,; echo "${targets[*]}")
cat >"$work/sonamu.config.json" <<JSON
{"fleets": {"both": {"targets": [$list], "parallelPerServer": 1}}}
JSON
fleet() { (cd "$work" && timeout 300 "$probe" migrate "$@"); }
seen() {  # the sessions each target's migration saw, one line per target
  for host in "$first_host" "$second_host"; do
    for database in $databases; do PGHOST=$host psql -d "$database" -qAtc 'SELECT sessions FROM probe'; done
  done
}

out=$(fleet run --fleet both --parallel 4 2>"$work/run.err") || fail "run: $(cat "$work/run.err")"
grep -q "(6 targets, 4 at once, 1 per server)" "$work/run.err" || fail "banner: $(cat "$work/run.err")"
[ "$(seen | sort -u)" = 1 ] || fail "a server had more than one target at once: $(seen | tr '\n' ' ')"

fleet rollback --fleet both --yes >/dev/null 2>&1 || fail "rollback"
fleet run --fleet both --parallel 4 --parallel-per-server 4 >/dev/null 2>"$work/run.err" ||
  fail "run without a budget: $(cat "$work/run.err")"
[ "$(seen | sort -n | tail -n 1)" -ge 2 ] || fail "without a budget no server had two targets at once: $(seen | tr '\n' ' ')"
echo "fleet servers: the per-server budget held on two servers: 1 passed, 0 failed"
