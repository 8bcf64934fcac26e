# Starts a throwaway PostgreSQL for the benchmark, the way scripts/test.sh does: initdb and
# pg_ctl in a temporary folder, Unix socket only, as `postgres` when run as root. Sourced, not
# run; needs scripts/lib/postgres.sh sourced first. The caller must trap stop_bench_server.

# Sets bench_scratch (the temporary folder, also a working directory without `migrations/`)
# and exports PG* for a database named `bench`.
start_bench_server() {
  bench_bindir=$(pg_bindir)
  bench_scratch=$(mktemp -d /tmp/sonamu-bench-pg.XXXXXX)
  chmod 755 "$bench_scratch"
  bench_data="$bench_scratch/data"
  local sockets="$bench_scratch/run"
  make_server_dir "$bench_data"
  make_server_dir "$sockets"
  chmod 755 "$sockets"

  as_server_user "$bench_bindir/initdb" -D "$bench_data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
    >"$bench_scratch/initdb.log" 2>&1 \
    || { cat "$bench_scratch/initdb.log" >&2; echo "error: initdb failed" >&2; return 1; }
  # The settings of the test server, and two more. max_locks_per_transaction: one transaction
  # creating 10,000 tables holds about 30,000 locks (table, sequence, index), more than the
  # default lock table. autovacuum=off: a vacuum of the catalogs starting in the middle of a
  # measurement is noise, for sonamu and the floor alike.
  as_server_user "$bench_bindir/pg_ctl" -D "$bench_data" -l "$sockets/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $sockets -p 5432 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c max_locks_per_transaction=256 -c autovacuum=off" \
    start >/dev/null \
    || { cat "$sockets/server.log" >&2; echo "error: the benchmark PostgreSQL server did not start" >&2; return 1; }

  export PGHOST="$sockets" PGPORT=5432 PGUSER=postgres PGDATABASE=bench
  unset DATABASE_URL PGPASSWORD PGSERVICE PGHOSTADDR
}

stop_bench_server() {
  if [ -n "${bench_scratch:-}" ]; then
    as_server_user "$bench_bindir/pg_ctl" -D "$bench_data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$bench_scratch"
  fi
}
