# Shared helpers for starting a private PostgreSQL server; sourced, not run.
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.

# The bin directory of the newest installed PostgreSQL server.
pg_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    echo "error: no PostgreSQL server found under /usr/lib/postgresql (run scripts/install-deps.sh)" >&2
    return 1
  fi
  echo "$dir"
}

# Runs a command as the user the server runs as: `postgres` when we are root, else ourselves.
as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    # From /, so the server user is never asked to enter a folder it may not read.
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# Makes a folder owned by the server user (when root) and private to it.
make_server_dir() {
  mkdir -p "$1"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$1"; fi
  chmod 700 "$1"
}

# True when the server user can reach (traverse) the given folder.
server_user_can_reach() {
  as_server_user test -x "$1" 2>/dev/null
}

# A throwaway server in a new temporary folder, Unix socket only (no port can clash with
# another server): `throwaway_init`, optionally adjust "$throwaway_data", then
# `throwaway_start [more server options]`, and `throwaway_stop` (in a trap) to remove it all.
# Sets throwaway_dir, throwaway_data, throwaway_bindir; exports PGHOST, PGPORT and PGUSER.
throwaway_init() {
  throwaway_bindir=$(pg_bindir)
  throwaway_dir=$(mktemp -d /tmp/sonamu-pg.XXXXXX)
  chmod 755 "$throwaway_dir"
  throwaway_data="$throwaway_dir/data"
  make_server_dir "$throwaway_data"
  make_server_dir "$throwaway_dir/run"
  chmod 755 "$throwaway_dir/run"
  as_server_user "$throwaway_bindir/initdb" -D "$throwaway_data" -U postgres -A trust -E UTF8 \
    --locale=C --no-sync >"$throwaway_dir/initdb.log" 2>&1 \
    || { cat "$throwaway_dir/initdb.log" >&2; echo "error: initdb failed" >&2; return 1; }
}

throwaway_start() {
  local sockets="$throwaway_dir/run"
  # Durability is not needed for a server that is thrown away: fsync and friends off.
  as_server_user "$throwaway_bindir/pg_ctl" -D "$throwaway_data" -l "$sockets/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $sockets -p 5432 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 $*" \
    start >/dev/null \
    || { cat "$sockets/server.log" >&2; echo "error: the throwaway PostgreSQL server did not start" >&2; return 1; }
  export PGHOST="$sockets" PGPORT=5432 PGUSER=postgres
  unset DATABASE_URL PGPASSWORD PGSERVICE PGHOSTADDR
}

throwaway_stop() {
  if [ -n "${throwaway_dir:-}" ]; then
    as_server_user "$throwaway_bindir/pg_ctl" -D "$throwaway_data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$throwaway_dir"
  fi
}
