#!/usr/bin/env bash
# Puts the benchmark database into the state a measured run starts from; run before every
# measured run (hyperfine --prepare), never timed. The PG* variables name the server.
#
#   prepare.sh empty                  a fresh, empty database `bench`
#   prepare.sh migrated BINARY        fresh, then `BINARY migrate run` (tables and bookkeeping)
#   prepare.sh sql FILE               fresh, then FILE run by psql (the floor's tables only)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$root/scripts/lib/postgres.sh"
# The server's own psql: Debian's /usr/bin/psql is a Perl wrapper that picks a version first.
psql=$(pg_bindir)/psql

# Warnings and errors only: "database bench does not exist, skipping" is expected.
psql_quiet() { PGOPTIONS="-c client_min_messages=warning" "$psql" -X -q -v ON_ERROR_STOP=1 "$@" >/dev/null; }

# A fresh database each time, so no run pays for the dead catalog rows of the one before.
psql_quiet -d postgres -c "DROP DATABASE IF EXISTS bench WITH (FORCE)" -c "CREATE DATABASE bench"

case "${1:-}" in
  empty) ;;
  migrated)
    # Its progress and notes are not wanted here; its errors are.
    if ! output=$("$2" migrate run 2>&1); then
      echo "$output" >&2
      exit 1
    fi
    ;;
  sql) psql_quiet -1 -f "$2" ;;
  *) echo "usage: prepare.sh empty | migrated BINARY | sql FILE" >&2; exit 2 ;;
esac
# Flushed now, so no run pays for writing out the dirty pages of the one before.
psql_quiet -d postgres -c "CHECKPOINT"
