#!/usr/bin/env bash
# The test command: installs what is missing, builds, starts a throwaway PostgreSQL in a
# temporary folder, runs the whole suite against it, and removes the server again.
# If the server cannot start, this fails: no database test is ever skipped.
# Arguments go to ctest: `scripts/test.sh -R e2e_safety` runs one part with the same set-up.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/lib/postgres.sh"

# SONAMU_BUILD_DIR lets two checkouts or two builds of one checkout test side by side.
build="${SONAMU_BUILD_DIR:-$root/build}"

"$root/scripts/install-deps.sh"
"$root/scripts/install-knex.sh"
# Tests and benchmark on, also in a tree the quick start configured without them.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSONAMU_BUILD_TESTS=ON -DSONAMU_BUILD_BENCH=ON
cmake --build "$build" -j2

trap throwaway_stop EXIT
throwaway_init
# One role authenticates by password, so the suite can test a wrong password; all else is trust.
{ echo "local all sonamu_pw_user scram-sha-256"; cat "$throwaway_data/pg_hba.conf"; } >"$throwaway_dir/pg_hba.conf"
as_server_user cp "$throwaway_dir/pg_hba.conf" "$throwaway_data/pg_hba.conf"
throwaway_start -c password_encryption=scram-sha-256
export PGDATABASE=postgres
"$throwaway_bindir/psql" -qAtc "SELECT 'Test server: PostgreSQL ' || current_setting('server_version')"

# Two entries at a time: each makes databases and folders of its own, and tests/CMakeLists.txt
# declares what some share (RESOURCE_LOCK, RUN_SERIAL). `scripts/test.sh -j1` runs one at a time.
ctest --test-dir "$build" --output-on-failure -j2 "$@"
