#!/usr/bin/env bash
# The data-at-risk report's cost: `migrate rollback --dry-run` of a batch that drops a column of
# a table with 5 million rows (above the exact-count threshold, so the count is the planner's
# estimate), next to the same command on the same schema without data (where the report is
# skipped: no table holds a page). See bench/README.md.
#
#   bench/data_at_risk.sh
#   SONAMU_BENCH_RUNS=20 SONAMU_BENCH_ROWS=5000000 bench/data_at_risk.sh
#   SONAMU_BENCH_BUILD_DIR=build bench/data_at_risk.sh   (an existing build, as configured)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=SCRIPTDIR/lib/setup.sh
source "$root/bench/lib/setup.sh"
runs="${SONAMU_BENCH_RUNS:-10}"
rows="${SONAMU_BENCH_ROWS:-5000000}"

"$root/scripts/install-deps.sh" hyperfine
bench_build sonamu_bench_loss
bin="$build/bench/sonamu_bench_loss"

bench_start

# Two databases with the same two batches; only `bench` holds data.
for database in bench bench_empty; do
  "${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database"
  "$bin" migrate up -q -c "dbname=$database"
  "$bin" migrate up -q -c "dbname=$database"
done
"${psql[@]}" -d bench -c "INSERT INTO events (kind, amount, note)
  SELECT 'kind' || (i % 10), i, CASE WHEN i % 4 = 0 THEN NULL ELSE 'note ' || i END
  FROM generate_series(1, $rows) AS i" -c "VACUUM ANALYZE events" -c "CHECKPOINT"
size=$("${psql[@]}" -d bench -At -c "SELECT pg_size_pretty(pg_relation_size('events'))")
report=$("$bin" migrate rollback --dry-run -q -c dbname=bench 2>&1 >/dev/null)

results="$build/results_data_at_risk.csv"
hyperfine -N --style basic --warmup 3 --runs "$runs" --export-csv "$results" \
  -n "with data" "$bin migrate rollback --dry-run -q -c dbname=bench" \
  -n "without data" "$bin migrate rollback --dry-run -q -c dbname=bench_empty" >/dev/null

with=$(hyperfine_median_ms "$results" "with data")
without=$(hyperfine_median_ms "$results" "without data")
bench_date_line
echo "Table events: $rows rows, $size; report: $report"
echo
echo "| rollback --dry-run of a batch dropping events.note | median ms |"
echo "|---|---|"
echo "| with data ($rows rows, estimated) | $with |"
echo "| without data (report skipped) | $without |"
awk -v a="$with" -v b="$without" 'BEGIN { printf "| extra cost of the report | %.1f |\n", a - b }'
