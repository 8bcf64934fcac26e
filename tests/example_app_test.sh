#!/usr/bin/env bash
# Installs the project into a temporary prefix, moves the installed tree elsewhere (the package
# must work from any prefix), builds examples/app against it (find_package(SonamuMigrate) +
# sonamu_add_migrations), and runs the resulting executable against a fresh database on the
# test server (PG* variables).
# Usage: example_app_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail

build=$1
source=$2
# shellcheck source=SCRIPTDIR/lib/app_test.sh
source "$source/tests/lib/app_test.sh"
app_test_setup example

cmake --install "$build" --prefix "$work/installed-here" >/dev/null
mv "$work/installed-here" "$work/prefix"
# The exported files name no path of the machine that built them: not the build or source
# tree, not the first prefix, not the system's own libraries (found again where it is used).
for file in "$work/prefix/lib/cmake/SonamuMigrate/"*.cmake; do
  for path in "$build" "$source" "$work/installed-here" /usr/lib /usr/include; do
    if grep -qF "$path" "$file"; then fail "$(basename "$file") names $path"; fi
  done
done
# A copy, so a migration can be added to it below.
cp -R "$source/examples/app" "$work/app"
cmake -S "$work/app" -B "$work/app-build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/app-build" -j2 >/dev/null

psql -qAtc "CREATE DATABASE \"$database\""
app() { timeout 120 "$work/app-build/my_migrate" "$@"; }
cd "$work"  # no migrations/ here: the check against sources on disk is skipped

out=$(app migrate run -c "dbname=$database" 2>"$work/run.err") || fail "run: $(cat "$work/run.err")"
expected=$'Batch 1 run: 3 migrations\n✅ 20260101090000_create_accounts.cpp\n✅ 20260101091000_seed_admin_account.cpp\n✅ 20260101093000_create_audit_log.sql'
[ "$out" = "$expected" ] || fail "run printed: $out"

[ "$(psql -d "$database" -qAtc 'SELECT email FROM accounts')" = "admin@example.com" ] || fail "no seeded account"

out=$(app migrate status -c "dbname=$database")
[[ "$out" == *"Executed migrations (Batch 1):"*"No pending migrations"* ]] || fail "status printed: $out"

# The rollback drops the accounts table and its row: off a terminal it warns on stderr and proceeds.
out=$(app migrate rollback -c "dbname=$database" 2>"$work/rollback.err") || fail "rollback: $(cat "$work/rollback.err")"
grep -q "accounts: 1 row will be deleted" "$work/rollback.err" || fail "no data-loss warning: $(cat "$work/rollback.err")"
[[ "$out" == "Batch 1 rolled back: 3 migrations"* ]] || fail "rollback printed: $out"
[ "$(psql -d "$database" -qAtc "SELECT to_regclass('accounts') IS NULL")" = "t" ] || fail "accounts left behind"

# A file added to the migrations folder is picked up by the next build, without re-running cmake.
cat >"$work/app/migrations/20260101092000_create_notes.cpp" <<'CPP'
#include <sonamu/migration.hpp>

namespace {

void up(sonamu::Knex& knex) { knex.raw(R"(CREATE TABLE "notes" ("id" serial primary key))"); }

void down(sonamu::Knex& knex) { knex.raw(R"(DROP TABLE "notes")"); }

}  // namespace

SONAMU_MIGRATION(up, down)
CPP
cmake --build "$work/app-build" -j2 >/dev/null
out=$(app migrate run -c "dbname=$database" 2>"$work/run.err") || fail "run after adding a file: $(cat "$work/run.err")"
expected=$'Batch 1 run: 4 migrations\n✅ 20260101090000_create_accounts.cpp\n✅ 20260101091000_seed_admin_account.cpp\n✅ 20260101092000_create_notes.cpp\n✅ 20260101093000_create_audit_log.sql'
[ "$out" = "$expected" ] || fail "run after adding a file printed: $out"

# Each migration carries the hash of its source: an edit without a rebuild is refused by a
# command that runs migrations (exit 4), a warning of one that only reads, and the next build
# takes the new hash.
echo "// edited" >>"$work/app/migrations/20260101092000_create_notes.cpp"
stale_refused() {  # stale_refused FILE: run refuses the stale binary naming FILE; status warns
  local code
  set +e
  app migrate run --migrations-dir "$work/app/migrations" -c "dbname=$database" >/dev/null 2>"$work/edited.err"
  code=$?
  set -e
  [ "$code" = 4 ] || fail "an edited source gave exit $code: $(cat "$work/edited.err")"
  grep -q "^Error: These migration files in $work/app/migrations changed since this binary was built: $1; rebuild it" \
    "$work/edited.err" || fail "edited source not named: $(cat "$work/edited.err")"
  app migrate status --migrations-dir "$work/app/migrations" -c "dbname=$database" >/dev/null 2>"$work/edited.err" ||
    fail "status of a stale binary failed: $(cat "$work/edited.err")"
  grep -q "^Warning: These migration files in $work/app/migrations changed since this binary was built: $1; rebuild it" \
    "$work/edited.err" || fail "status does not warn of the edited source: $(cat "$work/edited.err")"
}
stale_refused 20260101092000_create_notes.cpp
cmake --build "$work/app-build" -j2 >/dev/null
out=$(app migrate status --migrations-dir "$work/app/migrations" -c "dbname=$database" 2>"$work/rebuilt.err") ||
  fail "status after the rebuild: $(cat "$work/rebuilt.err")"

# The migration was applied before the edit: status marks it (Flyway's validate), --check fails,
# and accept takes the new source as the applied one.
[[ "$out" == *"✅ 20260101092000_create_notes.cpp  (edited since it was applied)"* ]] ||
  fail "status does not mark the edited applied migration: $out"
[[ "$out" == *"1 applied migration was edited since it was applied: the database has the old version. If the change is intended, run \`my_migrate migrate accept 20260101092000_create_notes.cpp\`."* ]] ||
  fail "status does not explain the edit: $out"
json=$(app migrate status --json --migrations-dir "$work/app/migrations" -c "dbname=$database")
[ "$(jq -c '.edited' <<<"$json")" = '["20260101092000_create_notes.cpp"]' ] || fail "JSON edited: $json"
[ "$(jq -c '[.batches[].migrations[] | select(.edited_since_applied) | .name]' <<<"$json")" = '["20260101092000_create_notes.cpp"]' ] ||
  fail "JSON edited_since_applied: $json"
set +e
app migrate status --check --migrations-dir "$work/app/migrations" -c "dbname=$database" >/dev/null 2>&1
code=$?
set -e
[ "$code" = 1 ] || fail "status --check with an edited applied migration gave exit $code"
out=$(app migrate accept 20260101092000_create_notes --migrations-dir "$work/app/migrations" -c "dbname=$database" 2>/dev/null) ||
  fail "accept failed"
[ "$out" = "Accepted the current source of 20260101092000_create_notes.cpp (batch 1) as applied; no migration code was run" ] ||
  fail "accept printed: $out"
out=$(app migrate status --check --migrations-dir "$work/app/migrations" -c "dbname=$database") ||
  fail "status --check after accept: $out"
[[ "$out" != *"edited"* ]] || fail "still marked after accept: $out"
[ "$(psql -d "$database" -qAtc "SELECT action FROM knex_migrations_history ORDER BY id DESC LIMIT 1")" = "accept" ] ||
  fail "accept is not in the history"

# A SQL migration carries the hash of its file too: stale binary, then edited after applied.
cat >"$work/app/migrations/20260101094000_create_tags.sql" <<'SQL'
-- migrate:up
CREATE TABLE "tags" ("id" serial primary key);
-- migrate:down
DROP TABLE "tags";
SQL
cmake --build "$work/app-build" -j2 >/dev/null
app migrate run --migrations-dir "$work/app/migrations" -c "dbname=$database" >/dev/null 2>"$work/sql.err" ||
  fail "run of the SQL migration: $(cat "$work/sql.err")"
echo "-- edited" >>"$work/app/migrations/20260101094000_create_tags.sql"
stale_refused 20260101094000_create_tags.sql
cmake --build "$work/app-build" -j2 >/dev/null
out=$(app migrate status --migrations-dir "$work/app/migrations" -c "dbname=$database" 2>/dev/null) ||
  fail "status after rebuilding the SQL migration"
[[ "$out" == *"✅ 20260101094000_create_tags.sql  (edited since it was applied)"* ]] ||
  fail "status does not mark the edited SQL migration: $out"

[ -x "$work/prefix/bin/sonamu" ] || fail "sonamu was not installed"
# The static C++ runtime is this project's choice for its own executables; the package does
# not force it on an application that uses it.
ldd "$work/prefix/bin/sonamu" | grep -q 'libstdc++' && fail "sonamu links the C++ runtime dynamically"
ldd "$work/app-build/my_migrate" | grep -q 'libstdc++' || fail "the package forced a static C++ runtime on the app"
echo "example app: installed package, built against it and ran it: 1 passed, 0 failed"
