#!/usr/bin/env bash
# The fleet scenario: `migrate run --fleet` over 200 databases, each getting the six example
# migrations, with --parallel 4; next to (a) the floor, psql applying the same SQL to the same
# 200 databases with the same parallelism, and (b) a shell loop of single `migrate run` calls.
# See bench/README.md.
#
#   bench/fleet.sh
#   SONAMU_BENCH_RUNS=5 SONAMU_BENCH_DATABASES=200 bench/fleet.sh
#   SONAMU_BENCH_BUILD_DIR=build bench/fleet.sh   (an existing build, as configured)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=SCRIPTDIR/lib/setup.sh
source "$root/bench/lib/setup.sh"
runs="${SONAMU_BENCH_RUNS:-3}"
count="${SONAMU_BENCH_DATABASES:-200}"
parallel=4

"$root/scripts/install-deps.sh" time
bench_build sonamu
bin="$build/sonamu"

# The server's folder, which will hold the fleet's definition too.
bench_start
databases=()
for ((i = 1; i <= count; i++)); do databases+=("$(printf 'fleet_%03d' "$i")"); done
for database in "${databases[@]}"; do echo "CREATE DATABASE $database;"; done | "${psql[@]}" -d postgres
cat >sonamu.config.json <<JSON
{ "fleets": { "bench": { "connection": "dbname=postgres",
  "databases": "SELECT datname FROM pg_database WHERE datname LIKE 'fleet\\\\_%' ORDER BY 1" } } }
JSON

# Untimed, before every run: every database back to empty, then a checkpoint.
reset() {
  printf '%s\n' "${databases[@]}" |
    xargs -P "$parallel" -I{} "${psql[@]}" -d {} -c 'SET client_min_messages = warning' \
      -c 'DROP SCHEMA public CASCADE' -c 'CREATE SCHEMA public'
  "${psql[@]}" -d postgres -c CHECKPOINT
}

# The floor's SQL is the very statements sonamu sends (its verbose log), in one transaction.
reset
"$bin" migrate run -v -c "dbname=${databases[0]}" >verbose.log 2>&1
sed -n 's/^SQL: \(.*\)$/\1;/p' verbose.log >up.sql
if grep -q '\[' up.sql || [ ! -s up.sql ]; then
  echo "error: the statements have bound values or are missing; the floor cannot replay them" >&2
  exit 1
fi

fleet() { "$bin" migrate run -q --fleet bench --parallel "$parallel"; }
floor() { printf '%s\n' "${databases[@]}" | xargs -P "$parallel" -I{} "${psql[@]}" -1 -f up.sql -d {}; }
loop() { for database in "${databases[@]}"; do "$bin" migrate run -q -c "dbname=$database"; done; }

seconds() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.3f\n", e - s }'; }
# CPU time in clock ticks, user + system, of the processes a process has reaped: for the
# postmaster, its backends (the server's work); for this shell, the scenario's own processes
# (sonamu, or psql and xargs). What a backend spends after it is reaped (tearing down its
# memory) and the postmaster's own forks are not counted: the numbers are a little low.
reaped_ticks() { awk '{ print $16 + $17 }' "/proc/$1/stat"; }
postmaster=$(as_server_user head -n 1 "$throwaway_data/postmaster.pid")
ticks_per_second=$(getconf CLK_TCK)
per_target_ms() { awk -v t="$1" -v hz="$ticks_per_second" -v n="$count" 'BEGIN { printf "%.1f\n", t / hz * 1000 / n }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git -C "$root" rev-parse --short HEAD)"
echo "Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$count databases x $(wc -l <up.sql) statements, --parallel $parallel, $runs runs each, in turns"
for scenario in fleet floor loop; do : >"$scenario.times"; : >"$scenario.server"; : >"$scenario.client"; done
for ((run = 1; run <= runs; run++)); do
  for scenario in fleet floor loop; do
    reset >/dev/null
    server_before=$(reaped_ticks "$postmaster")
    client_before=$(reaped_ticks $$)
    start=$(date +%s.%N)
    "$scenario" >/dev/null
    seconds "$start" "$(date +%s.%N)" >>"$scenario.times"
    per_target_ms $(($(reaped_ticks "$postmaster") - server_before)) >>"$scenario.server"
    per_target_ms $(($(reaped_ticks $$) - client_before)) >>"$scenario.client"
  done
done
# Peak memory of the fleet process (the one process that holds every worker).
reset >/dev/null
/usr/bin/time -f '%M' -o fleet.rss "$bin" migrate run -q --fleet bench --parallel "$parallel"
rss=$(tail -n 1 fleet.rss)
# Every database got the six migrations, once.
applied=$("${psql[@]}" -At -d "${databases[-1]}" -c 'SELECT count(*) FROM knex_migrations')
[ "$applied" = 6 ] || { echo "error: ${databases[-1]} has $applied migrations recorded" >&2; exit 1; }

echo "Runs (s): fleet $(paste -sd' ' fleet.times); floor $(paste -sd' ' floor.times); loop $(paste -sd' ' loop.times)"
fleet_s=$(median <fleet.times)
floor_s=$(median <floor.times)
loop_s=$(median <loop.times)
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "CPU per target (ms, median of the runs): server fleet $(median <fleet.server), floor $(median <floor.server), loop $(median <loop.server); client fleet $(median <fleet.client), floor $(median <floor.client), loop $(median <loop.client)"
echo
echo "| scenario | median | compared with | ratio | target | met |"
echo "|---|---|---|---|---|---|"
awk -v f="$fleet_s" -v p="$floor_s" -v l="$loop_s" -v rss="$rss" -v n="$count" -v j="$parallel" 'BEGIN {
  printf "| `migrate run --fleet`, %d databases, --parallel %d | %.2f s | psql, same SQL, %d at once: %.2f s | %.2fx | <= 1.2x | %s |\n", n, j, f, j, p, f / p, (f / p <= 1.2) ? "yes" : "no"
  printf "| the same | %.2f s | shell loop of single `migrate run`: %.2f s | %.2fx | <= 0.35x | %s |\n", f, l, f / l, (f / l <= 0.35) ? "yes" : "no"
  printf "| peak RSS of the fleet process | %.1f MiB | | | <= 30 MiB | %s |\n", rss / 1024, (rss / 1024 <= 30) ? "yes" : "no"
}'
# No runner can finish faster than its CPU time spread over every core: with the fleet's own
# CPU per target, the lowest wall time it could have on this machine, and the ratios that gives.
awk -v s="$(median <fleet.server)" -v c="$(median <fleet.client)" -v n="$count" -v cores="$(nproc)" \
    -v p="$floor_s" -v l="$loop_s" 'BEGIN {
  best = (s + c) * n / cores / 1000
  printf "\nCPU time of the fleet, %.1f ms per target, over %d cores: at best %.2f s, %.2fx the floor and %.2fx the loop measured here.\n", s + c, cores, best, best / p, best / l
}'
