# shellcheck shell=bash
# The set-up of the tests that build an application against the installed package and run it
# on the test server (PG* variables). Sourced, not run.
#
#   app_test_setup NAME
# sets work (a scratch folder, sonamu-NAME.XXXXXX) and database (sonamu_NAME_PID, not created
# here); both are removed when the script exits, however it ends.

app_test_setup() {
  work=$(mktemp -d -t "sonamu-$1.XXXXXX")
  database="sonamu_$1_$$"
  trap app_test_cleanup EXIT
  # A timeout or Ctrl-C ends the script through `exit`, so the clean-up runs then too.
  trap 'exit 143' TERM
  trap 'exit 130' INT
  # Nothing may hang: connections give up after 10 s (each run of the app has its own limit).
  export PGCONNECT_TIMEOUT=10
}

app_test_cleanup() {
  psql -qAtc "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}

# fail MESSAGE: the test fails here.
fail() { echo "FAILED: $*" >&2; exit 1; }
