#!/usr/bin/env bash
# A project of one's own from zero, as a newcomer makes it: the installed package is moved to
# another prefix, its `sonamu migrate init` writes the project (the same files as
# examples/app), which builds against it with no CMake warning; its executable then runs `run`,
# `status` and `rollback` from the project folder, from its build/ folder and from /, and
# refuses its stale binary after an edit from each of them, on the test server (PG* variables).
# Usage: init_project_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail

build=$1
source=$2
# shellcheck source=SCRIPTDIR/lib/app_test.sh
source "$source/tests/lib/app_test.sh"
app_test_setup init

cmake --install "$build" --prefix "$work/installed-here" >/dev/null
mv "$work/installed-here" "$work/prefix"
sonamu=$work/prefix/bin/sonamu

# init writes the project and says the three commands, CMake told where the package is.
out=$("$sonamu" migrate init "$work/shop")
expected="Created $work/shop/CMakeLists.txt, $work/shop/sonamu.config.json, $work/shop/migrations/
Next, in $work/shop:
  cmake -S . -B build -DCMAKE_PREFIX_PATH=$work/prefix && cmake --build build
  build/shop_migrate migrate make create_users     # then write it, and build again
  DATABASE_URL=postgresql://USER@HOST/DATABASE build/shop_migrate migrate run"
[ "$out" = "$expected" ] || fail "init printed: $out"
# A second init changes nothing.
before=$(cat "$work/shop/CMakeLists.txt")
set +e
err=$("$sonamu" migrate init "$work/shop" 2>&1 >/dev/null)
code=$?
set -e
[ "$code" = 2 ] || fail "init over a project gave exit $code"
[ "$err" = "Error: $work/shop/CMakeLists.txt exists: init writes a new project only, and changes nothing" ] ||
  fail "init over a project said: $err"
[ "$(cat "$work/shop/CMakeLists.txt")" = "$before" ] || fail "init changed the project"
# examples/app is what init writes.
(cd "$work" && "$sonamu" migrate init example --name my_migrate >/dev/null)
for file in CMakeLists.txt sonamu.config.json; do
  diff -u "$source/examples/app/$file" "$work/example/$file" >&2 || fail "examples/app/$file is not what init writes"
done

# A first migration, made with the installed sonamu, then built against the moved package.
cd "$work/shop"
made=$("$sonamu" migrate make create_items)
file=$(basename "${made#Created Migration: }")
cat >"migrations/$file" <<'CPP'
#include <sonamu/migration.hpp>

namespace {

void up(sonamu::Knex& knex) {
  knex.schema.createTable("items", [](auto& table) { table.increments("id"); });
}

void down(sonamu::Knex& knex) { knex.schema.dropTable("items"); }

}  // namespace

SONAMU_MIGRATION(up, down)
CPP
cmake -S . -B build -DCMAKE_PREFIX_PATH="$work/prefix" >"$work/configure.log" 2>"$work/configure.err" ||
  fail "configure: $(cat "$work/configure.err")"
[ ! -s "$work/configure.err" ] || fail "CMake warned: $(cat "$work/configure.err")"
cmake --build build -j2 >"$work/build.log" 2>&1 || fail "build: $(cat "$work/build.log")"
program=$work/shop/build/shop_migrate

psql -qAtc "CREATE DATABASE \"$database\""
# The config reads the connection from DATABASE_URL: unset, it says so.
set +e
err=$(env -u DATABASE_URL timeout 60 "$program" migrate status 2>&1 >/dev/null)
code=$?
set -e
[ "$code" = 2 ] || fail "status without DATABASE_URL gave exit $code: $err"
[[ "$err" == *"DATABASE_URL"* ]] || fail "status without DATABASE_URL said: $err"
export DATABASE_URL="host=$PGHOST port=$PGPORT user=$PGUSER dbname=$database"
in_folder() { (cd "$1" && timeout 120 "$program" "${@:2}"); }

for folder in "$work/shop" "$work/shop/build" /; do
  out=$(in_folder "$folder" migrate run 2>"$work/run.err") || fail "run from $folder: $(cat "$work/run.err")"
  [ "$out" = $'Batch 1 run: 1 migration\n✅ '"$file" ] || fail "run from $folder printed: $out"
  out=$(in_folder "$folder" migrate status 2>"$work/status.err") || fail "status from $folder: $(cat "$work/status.err")"
  [[ "$out" == *"$file"* ]] || fail "status from $folder printed: $out"
  [ ! -s "$work/status.err" ] || fail "status from $folder warned: $(cat "$work/status.err")"
  out=$(in_folder "$folder" migrate rollback --yes 2>"$work/rollback.err") ||
    fail "rollback from $folder: $(cat "$work/rollback.err")"
  [[ "$out" == *"Batch 1 rolled back: 1 migration"* ]] || fail "rollback from $folder printed: $out"
done

# An edited migration: a stale binary, refused by what runs migrations and a warning of status,
# from each folder, naming the project's migrations folder.
echo "// edited" >>"$work/shop/migrations/$file"
for folder in "$work/shop" "$work/shop/build" /; do
  set +e
  in_folder "$folder" migrate run >/dev/null 2>"$work/stale.err"
  code=$?
  set -e
  [ "$code" = 4 ] || fail "the stale binary ran from $folder (exit $code): $(cat "$work/stale.err")"
  grep -q "changed since this binary was built: $file; rebuild it" "$work/stale.err" ||
    fail "stale binary from $folder: $(cat "$work/stale.err")"
  in_folder "$folder" migrate status >/dev/null 2>"$work/stale.err" || fail "status of the stale binary from $folder failed"
  grep -q "^Warning: These migration files in .* changed since this binary was built: $file" "$work/stale.err" ||
    fail "status from $folder did not warn: $(cat "$work/stale.err")"
done
[ "$(psql -d "$database" -qAtc "SELECT count(*) FROM knex_migrations")" = 0 ] || fail "the stale binary migrated"

# The installed sonamu in this project: built with other migrations, and says which to run.
set +e
err=$(timeout 60 "$sonamu" migrate run 2>&1 >/dev/null)
code=$?
set -e
[ "$code" = 4 ] || fail "the installed sonamu ran this project's migrations folder (exit $code): $err"
[[ "$err" == *"not compiled into this binary: $file; sonamu was built with the migrations of another folder: build this project's own executable"* ]] ||
  fail "the installed sonamu said: $err"

# A binary whose sources are not on this machine carries on, and says so under --debug.
cmake --build build -j2 >/dev/null 2>&1
mv "$work/shop/migrations" "$work/shop/migrations.elsewhere"
out=$(in_folder / migrate status --debug 2>"$work/debug.err") || fail "status without sources: $(cat "$work/debug.err")"
grep -q "built from the migrations in $work/shop/migrations, which are not on this machine" "$work/debug.err" ||
  fail "--debug does not say the sources are missing: $(cat "$work/debug.err")"
echo "init project: made, built against the moved package, run from three folders: 1 passed, 0 failed"
