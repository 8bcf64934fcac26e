#!/usr/bin/env bash
# The lint's cost: `migrate lint` of 1,000 pending migrations next to `migrate run --dry-run -q`
# of the same batch (the same rehearsal without the measurements and the rules: with --quiet a
# dry run prints nothing, so it measures nothing), on an empty database and on one with 50
# tables of 10,000 rows each, which the meter reads between every two statements. Target: lint
# ≤ 1.5 × that dry run. Also timed: `migrate run --dry-run` without -q, which measures its own
# statements and prints the same report (its output goes to /dev/null), against the same
# target. See bench/README.md.
#
#   bench/lint.sh
#   SONAMU_BENCH_RUNS=20 bench/lint.sh
#   SONAMU_BENCH_BUILD_DIR=build bench/lint.sh   (an existing build, configured with
#                                                 -DSONAMU_BENCH_SIZES=1000)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=SCRIPTDIR/lib/setup.sh
source "$root/bench/lib/setup.sh"
runs="${SONAMU_BENCH_RUNS:-10}"

"$root/scripts/install-deps.sh" hyperfine
bench_build sonamu_bench_1000 -DSONAMU_BENCH_SIZES=1000
bin="$build/bench/sonamu_bench_1000"

bench_start

for database in bench_empty bench_tables; do
  "${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database"
done
"${psql[@]}" -d bench_tables -c "DO \$\$ BEGIN FOR i IN 1..50 LOOP
    EXECUTE format('CREATE TABLE app_%s (id serial PRIMARY KEY, v integer)', i);
    EXECUTE format('INSERT INTO app_%s (v) SELECT g FROM generate_series(1, 10000) g', i);
  END LOOP; END \$\$" -c "VACUUM ANALYZE" -c "CHECKPOINT"

# The same batch, the same report: nothing to warn about in 1,000 CREATE TABLE.
"$bin" migrate lint -q --fail-on warning -c dbname=bench_tables

results="$build/results_lint.csv"
hyperfine -N --style basic --warmup 2 --runs "$runs" --export-csv "$results" \
  -n "lint on empty database" "$bin migrate lint -q -c dbname=bench_empty" \
  -n "dry run on empty database" "$bin migrate run --dry-run -q -c dbname=bench_empty" \
  -n "lint on 50 tables" "$bin migrate lint -q -c dbname=bench_tables" \
  -n "dry run on 50 tables" "$bin migrate run --dry-run -q -c dbname=bench_tables" \
  -n "dry run with report on empty database" "$bin migrate run --dry-run -c dbname=bench_empty" \
  -n "dry run with report on 50 tables" "$bin migrate run --dry-run -c dbname=bench_tables" >/dev/null

median() { hyperfine_median_ms "$results" "$1"; }
bench_date_line
echo "Commit: $(git -C "$root" log -1 --format='%h %s')"
echo
echo "| 1,000 pending migrations | measured, median ms | dry run -q (no report), median ms | ratio | target | met |"
echo "|---|---|---|---|---|---|"
for where in "empty database" "50 tables"; do
  dry=$(median "dry run on $where")
  for what in "lint" "dry run with report"; do
    measured=$(median "$what on $where")
    awk -v w="$what, $where" -v a="$measured" -v b="$dry" \
      'BEGIN { r = a / b; printf "| %s | %s | %s | %.2f× | ≤ 1.5× | %s |\n", w, a, b, r, r <= 1.5 ? "yes" : "no" }'
  done
done
