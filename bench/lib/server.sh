# shellcheck shell=bash
# The benchmark's throwaway PostgreSQL: the test server (scripts/lib/postgres.sh) with two more
# settings. Sourced, not run; needs scripts/lib/postgres.sh sourced first. The caller must
# trap stop_bench_server.

# Sets bench_scratch (the temporary folder, also a working directory without `migrations/`),
# bench_bindir, and exports PG* for a database named `bench`.
start_bench_server() {
  throwaway_init
  # max_locks_per_transaction: one transaction creating 10,000 tables holds about 30,000
  # locks (table, sequence, index), more than the default lock table. autovacuum=off: a
  # vacuum of the catalogs starting in the middle of a measurement is noise, for sonamu and
  # the floor alike.
  throwaway_start -c max_locks_per_transaction=256 -c autovacuum=off
  bench_scratch="$throwaway_dir"
  bench_bindir="$throwaway_bindir"
  export PGDATABASE=bench
}

stop_bench_server() { throwaway_stop; }
