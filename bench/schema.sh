#!/usr/bin/env bash
# The cost of `migrate schema`: the snapshot of a schema of 1,000 tables (each with a primary
# key, a foreign key to the one before, a unique and a check constraint, a default, an index
# and a view over it) next to `pg_dump --schema-only` of the same database, timed in turns in
# one run. Target: the snapshot ≤ 0.5 × pg_dump's wall time. Both write to /dev/null (hyperfine
# discards what they print). See bench/README.md.
#
#   bench/schema.sh
#   SONAMU_BENCH_RUNS=20 bench/schema.sh
#   SONAMU_BENCH_BUILD_DIR=build bench/schema.sh   (an existing build)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=SCRIPTDIR/lib/setup.sh
source "$root/bench/lib/setup.sh"
runs="${SONAMU_BENCH_RUNS:-10}"

"$root/scripts/install-deps.sh" hyperfine
bench_build sonamu
bin="$build/sonamu"

bench_start

"${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS bench_schema" -c "CREATE DATABASE bench_schema"
"${psql[@]}" -d bench_schema -c "DO \$\$ BEGIN FOR i IN 1..1000 LOOP
    EXECUTE format('CREATE TABLE t_%s (id serial PRIMARY KEY, parent_id integer %s, name text NOT NULL
                      CHECK (name <> %L), created_at timestamptz DEFAULT now(), UNIQUE (name))',
                   i, CASE WHEN i > 1 THEN format('REFERENCES t_%s (id)', i - 1) ELSE '' END, '');
    EXECUTE format('CREATE INDEX t_%s_created_idx ON t_%s (created_at)', i, i);
    EXECUTE format('CREATE VIEW v_%s AS SELECT id, name FROM t_%s WHERE parent_id IS NOT NULL', i, i);
  END LOOP; END \$\$" -c "VACUUM ANALYZE" -c "CHECKPOINT"

# Both read the whole schema: the snapshot must see every table, and pg_dump must succeed.
objects=$("$bin" migrate schema -c dbname=bench_schema | grep -c '^table ')
[ "$objects" -eq 1000 ] || { echo "error: the snapshot lists $objects tables, not 1000" >&2; exit 1; }
"$bench_bindir/pg_dump" --schema-only -d bench_schema >/dev/null

results="$build/results_schema.csv"
hyperfine -N --style basic --warmup 2 --runs "$runs" --export-csv "$results" \
  -n "migrate schema" "$bin migrate schema -c dbname=bench_schema" \
  -n "pg_dump --schema-only" "$bench_bindir/pg_dump --schema-only -d bench_schema" >/dev/null

snapshot=$(hyperfine_median_ms "$results" "migrate schema")
dump=$(hyperfine_median_ms "$results" "pg_dump --schema-only")
bench_date_line
echo "Commit: $(git -C "$root" log -1 --format='%h %s')"
echo
echo "| 1,000 tables, indexes, constraints, views | median ms | pg_dump --schema-only, median ms | ratio | target | met |"
echo "|---|---|---|---|---|---|"
awk -v a="$snapshot" -v b="$dump" \
  'BEGIN { r = a / b; printf "| `migrate schema` | %s | %s | %.2f× | ≤ 0.5× | %s |\n", a, b, r, r <= 0.5 ? "yes" : "no" }'
