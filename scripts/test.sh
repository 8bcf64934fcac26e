#!/usr/bin/env bash
# The test command: installs what is missing, builds, starts a throwaway PostgreSQL in a
# temporary folder, runs the whole suite against it, and removes the server again.
# If the server cannot start, this fails: no database test is ever skipped.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/lib/postgres.sh"

# SONAMU_BUILD_DIR lets two checkouts or two builds of one checkout test side by side.
build="${SONAMU_BUILD_DIR:-$root/build}"

"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j2

bindir=$(pg_bindir)
scratch=$(mktemp -d /tmp/sonamu-test-pg.XXXXXX)
chmod 755 "$scratch"
data="$scratch/data"
sockets="$scratch/run"
make_server_dir "$data"
make_server_dir "$sockets"
chmod 755 "$sockets"

stop_server() {
  as_server_user "$bindir/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap stop_server EXIT

as_server_user "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$scratch/initdb.log" 2>&1 \
  || { cat "$scratch/initdb.log" >&2; echo "error: initdb failed" >&2; exit 1; }
# One role authenticates by password, so the suite can test a wrong password; all else is trust.
{ echo "local all sonamu_pw_user scram-sha-256"; cat "$data/pg_hba.conf"; } >"$scratch/pg_hba.conf"
as_server_user cp "$scratch/pg_hba.conf" "$data/pg_hba.conf"
# Unix socket only, in a private folder: no port can clash with another server.
as_server_user "$bindir/pg_ctl" -D "$data" -l "$sockets/server.log" -w -t 60 \
  -o "-c listen_addresses='' -k $sockets -c password_encryption=scram-sha-256 -p 5432 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null \
  || { cat "$sockets/server.log" >&2; echo "error: the test PostgreSQL server did not start" >&2; exit 1; }

export PGHOST="$sockets" PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
unset DATABASE_URL PGPASSWORD PGSERVICE PGHOSTADDR
"$bindir/psql" -qAtc "SELECT 'Test server: PostgreSQL ' || current_setting('server_version')"

ctest --test-dir "$build" --output-on-failure
