#!/usr/bin/env bash
# The project's local development database: start | stop | status | destroy.
# Data lives in .sonamu/ in the project (ignored by git); the server listens only on a Unix
# socket in .sonamu/run, where `sonamu migrate ...` run from the project finds it unaided.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/lib/postgres.sh"

state="$root/.sonamu"
data="$state/pgdata"
sockets="$state/run"

# The server is given real paths: the links in .sonamu/ may sit where it cannot look.
resolve_folders() {
  if [ -e "$state/pgdata" ]; then data=$(readlink -f "$state/pgdata"); fi
  if [ -e "$state/run" ]; then sockets=$(readlink -f "$state/run"); fi
}

# As root, the server runs as `postgres`, which must reach the project folder; where it
# cannot (a project under /root, say), the server's folders live in /var/tmp instead and
# .sonamu/ links to them.
prepare_folders() {
  mkdir -p "$state"
  if [ -e "$data" ] || [ -L "$data" ]; then return; fi
  if [ "$(id -u)" -eq 0 ] && ! server_user_can_reach "$state"; then
    local outside
    outside="/var/tmp/sonamu-dev-$(printf '%s' "$root" | sha256sum | cut -c1-12)"
    mkdir -p "$outside"
    chmod 755 "$outside"
    make_server_dir "$outside/pgdata"
    make_server_dir "$outside/run"
    chmod 755 "$outside/run"
    ln -sfn "$outside/pgdata" "$data"
    ln -sfn "$outside/run" "$sockets"
  else
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$state"; fi
    make_server_dir "$data"
    make_server_dir "$sockets"
    chmod 755 "$sockets"
  fi
}

is_running() {
  [ -f "$data/postmaster.pid" ] && as_server_user "$(pg_bindir)/pg_ctl" -D "$data" status >/dev/null 2>&1
}

start() {
  local bindir
  bindir=$(pg_bindir)
  prepare_folders
  resolve_folders
  if [ ! -f "$data/PG_VERSION" ]; then
    as_server_user "$bindir/initdb" -D "$data" -U sonamu -A trust -E UTF8 --locale=C >"$state/initdb.log" 2>&1 \
      || { cat "$state/initdb.log" >&2; echo "error: initdb failed" >&2; exit 1; }
  fi
  if is_running; then
    echo "Development database already running (socket in .sonamu/run)"
  else
    as_server_user "$bindir/pg_ctl" -D "$data" -l "$sockets/server.log" -w -t 60 \
      -o "-c listen_addresses='' -k $sockets -p 5432" start >/dev/null \
      || { cat "$sockets/server.log" >&2; echo "error: the development database did not start" >&2; exit 1; }
    echo "Development database started (socket in .sonamu/run)"
  fi
  if ! "$bindir/psql" -h "$sockets" -p 5432 -U sonamu -d postgres -qAtc \
      "SELECT 1 FROM pg_database WHERE datname = 'sonamu_dev'" | grep -q 1; then
    "$bindir/psql" -h "$sockets" -p 5432 -U sonamu -d postgres -qc "CREATE DATABASE sonamu_dev"
  fi
}

stop() {
  if is_running; then
    as_server_user "$(pg_bindir)/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    echo "Development database stopped"
  else
    echo "Development database is not running"
  fi
}

resolve_folders

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if is_running; then echo "running"; else echo "stopped"; exit 1; fi ;;
  destroy)
    stop
    if [ -L "$state/pgdata" ]; then rm -rf "$(dirname "$(readlink -f "$state/pgdata")")"; fi
    rm -rf "$state"
    echo "Development database removed"
    ;;
  *) echo "usage: scripts/dev-db.sh start|stop|status|destroy" >&2; exit 2 ;;
esac
