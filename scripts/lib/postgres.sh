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
