#!/usr/bin/env bash
# Every end-to-end test belongs to exactly one CTest entry: each entry runs the tests of one
# source file (Catch's `-#` tags them [#<file>]), so a test in a file without an entry would
# never run. Lists the tests outside every entry, and fails if there is any, or if an entry
# is empty.
# Usage: e2e_entries_test.sh E2E_BINARY PART...
set -euo pipefail

binary=$1
shift

outside=""
total=0
for part in "$@"; do
  outside+="~[#${part}_test]"
  count=$("$binary" -# --list-test-names-only "[#${part}_test]" | grep -c . || true)
  [ "$count" -gt 0 ] || { echo "FAILED: the entry for ${part}_test.cpp runs no test" >&2; exit 1; }
  total=$((total + count))
done

lost=$("$binary" -# --list-test-names-only "$outside" | grep . || true)
if [ -n "$lost" ]; then
  echo "FAILED: these tests are in no CTest entry:" >&2
  echo "$lost" >&2
  exit 1
fi
all=$("$binary" --list-test-names-only | grep -c . || true)
[ "$all" -eq "$total" ] || { echo "FAILED: $all tests, but the entries run $total" >&2; exit 1; }
echo "$total end-to-end tests, each in exactly one of $# entries"
