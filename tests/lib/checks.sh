# shellcheck shell=bash
# Counted checks, and scratch databases on the test server (PG* variables), for the test scripts
# that go on after a failed check and give the counts at the end. Sourced, not run.
#
# Sets failures and passed (the counts). The caller sets database_prefix: new_database names
# its databases PREFIX_LABEL_PID.
# (That variable is unseen by shellcheck:)
# shellcheck disable=SC2154

failures=0
passed=0
# The names new_database created, one a line: a file, as it is called in $(...), a subshell
# whose variables are gone when it returns.
created_databases=$(mktemp -t sonamu-databases.XXXXXX)

# fail MESSAGE: a failed check, counted; the script goes on.
fail() {
  echo "FAILED: $*" >&2
  failures=$((failures + 1))
}
# expect LABEL ACTUAL EXPECTED: exact comparison.
expect() {
  if [ "$2" = "$3" ]; then
    passed=$((passed + 1))
  else
    fail "$1"
    diff <(printf '%s\n' "$3") <(printf '%s\n' "$2") | sed 's/^/    /' >&2 || true
  fi
}

# sql DATABASE [VAR=VALUE...] < QUERY: the rows, values bound as psql variables.
sql() {
  local database=$1 args=()
  shift
  for binding in "$@"; do args+=(-v "$binding"); done
  psql -d "$database" -qAtX -v ON_ERROR_STOP=1 "${args[@]}"
}

# new_database LABEL: creates database PREFIX_LABEL_PID and prints its name. Called in $(...),
# whose `exit` ends only that subshell: callers add `|| exit 1`.
new_database() {
  local database="${database_prefix}_${1}_$$"
  echo "$database" >>"$created_databases"
  sql postgres "db=$database" <<'SQL' >/dev/null || { echo "FAILED: cannot create $database" >&2; exit 1; }
CREATE DATABASE :"db"
SQL
  echo "$database"
}

# Drops every database new_database created; for the caller's exit trap.
drop_databases() {
  local database
  while IFS= read -r database; do
    psql -d postgres -qAt -v "db=$database" >/dev/null 2>&1 <<'SQL' || true
DROP DATABASE IF EXISTS :"db" WITH (FORCE)
SQL
  done <"$created_databases"
  rm -f "$created_databases"
}
