#!/usr/bin/env bash
# The benchmark: builds sonamu with 1,000 and 10,000 generated migrations, starts a throwaway
# PostgreSQL, measures each scenario against the floor (psql doing the same SQL on the same
# server) and prints a Markdown table. See bench/README.md.
#
#   bench/run.sh                      10 timed runs per command
#   SONAMU_BENCH_RUNS=20 bench/run.sh
#   SONAMU_BENCH_BUILD_DIR=/some/dir bench/run.sh   (default: bench/.build)
#
# The scenario arrays below are read by name (bench/lib/measure.sh), unseen by shellcheck:
# shellcheck disable=SC2034
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=SCRIPTDIR/lib/setup.sh
source "$root/bench/lib/setup.sh"
# shellcheck source=SCRIPTDIR/lib/measure.sh
source "$bench/lib/measure.sh"

bench_runs="${SONAMU_BENCH_RUNS:-10}"
bench_rss_runs=3

# hyperfine for wall times, GNU time for peak memory: the benchmark's own tools.
"$root/scripts/install-deps.sh" hyperfine time

# A build of its own (no tests), so the benchmark never disturbs the development build.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSONAMU_BUILD_TESTS=OFF \
  -DSONAMU_BENCH_SIZES="1000;10000" >/dev/null
cmake --build "$build" -j2 --target sonamu_cli
# Timed one by one: what generating and compiling N migrations costs (0 s when up to date).
for size in 1000 10000; do
  start=$(date +%s.%N)
  cmake --build "$build" -j2 --target "sonamu_bench_$size" >/dev/null
  awk -v s="$start" -v e="$(date +%s.%N)" -v n="$size" \
    'BEGIN { printf "Built sonamu_bench_%d (generate, compile, link) in %.1f s\n", n, e - s }'
done
bin1000="$build/bench/sonamu_bench_1000"
bin10000="$build/bench/sonamu_bench_10000"
sql="$build/bench"

bench_start
bench_results="$build/results"
rm -rf "$bench_results"
mkdir -p "$bench_results"

"$bench/lib/prepare.sh" empty
server_version=$("${psql[@]}" -At -d postgres -c "SELECT current_setting('server_version')")
# What RESULTS.md records about a run; the load average shows whether the machine was idle.
machine() {
  echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -m | awk '/^Mem:/ { printf "%.1f", $2 / 1024 }') GiB memory, $(uname -sr)"
  echo "Load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}
machine
echo "Server: PostgreSQL $server_version; $bench_runs timed runs per command, peak RSS the highest of $bench_rss_runs"

# The floor must be the very statements sonamu sends: compare its verbose log with the files.
statements() { sed -n 's/^SQL: //p' "$1" | grep -E '^(CREATE|DROP) TABLE "bench_' || true; }
"$bin1000" migrate run -v >"$bench_results/verbose_up.log" 2>&1
"$bin1000" migrate rollback --all -v >"$bench_results/verbose_down.log" 2>&1
statements "$bench_results/verbose_up.log" >"$bench_results/sent_up.sql"
statements "$bench_results/verbose_down.log" >"$bench_results/sent_down.sql"
for direction in up down; do
  if ! sed 's/;$//' "$sql/sonamu_bench_1000_$direction.sql" | cmp -s - "$bench_results/sent_$direction.sql"; then
    echo "error: the floor's $direction SQL differs from what sonamu sends" >&2
    exit 1
  fi
done

status_query='SELECT * FROM "public"."knex_migrations" ORDER BY "id"'

# Each scenario: its command, and the state (prepare.sh arguments) each run starts from; an
# empty state means a read-only command, run on the state left by the line before measure.
run_1000_command=("$bin1000" migrate run)
run_1000_prepare=(empty)
floor_run_1000_command=("${psql[@]}" -1 -f "$sql/sonamu_bench_1000_up.sql")
floor_run_1000_prepare=(empty)
rollback_1000_command=("$bin1000" migrate rollback --all)
rollback_1000_prepare=(migrated "$bin1000")
floor_rollback_1000_command=("${psql[@]}" -1 -f "$sql/sonamu_bench_1000_down.sql")
floor_rollback_1000_prepare=(sql "$sql/sonamu_bench_1000_up.sql")
status_1000_command=("$bin1000" migrate status)
status_1000_prepare=()
floor_status_1000_command=("${psql[@]}" -c "$status_query")
floor_status_1000_prepare=()
status_10000_command=("$bin10000" migrate status)
status_10000_prepare=()
floor_status_10000_command=("${psql[@]}" -c "$status_query")
floor_status_10000_prepare=()

echo "Measuring (each scenario and its floor in turns):"
measure run_1000 floor_run_1000
measure rollback_1000 floor_rollback_1000
"$bench/lib/prepare.sh" migrated "$bin1000"
measure status_1000 floor_status_1000
"$bench/lib/prepare.sh" migrated "$bin10000"
measure status_10000 floor_status_10000
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
awk -F'\t' -f "$bench/lib/table.awk" "$bench_results/results.tsv"
