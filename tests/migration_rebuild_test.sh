#!/usr/bin/env bash
# Editing one migration of 50 rebuilds that migration only: a user project of 40 C++ and 10 SQL
# migrations is built against the installed package with CMake's Makefile generator; then one
# C++ migration, and separately one SQL migration, is edited and the project rebuilt. The build
# tool's own log (every object make compiles is a "Building CXX object" line) must show exactly
# one migration translation unit compiled and the executable linked again. The rebuilt program
# still carries each file's SHA-256 as compiled: before the rebuild it refuses the edited file,
# after it the hash it records on the test server (PG* variables) is the file's own.
# Usage: migration_rebuild_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail

build=$1
source=$2
# shellcheck source=SCRIPTDIR/lib/app_test.sh
source "$source/tests/lib/app_test.sh"
app_test_setup rebuild

cmake --install "$build" --prefix "$work/prefix" >/dev/null
mkdir -p "$work/app/migrations"
cat >"$work/app/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.18)
project(rebuild_app LANGUAGES CXX)
find_package(SonamuMigrate 0.1 REQUIRED)
sonamu_add_migrations(TARGET rebuild_migrate DIRECTORY migrations)
CMAKE

cpp_migration() {  # cpp_migration NUMBER COMMENT: a migration creating table t_NUMBER
  cat <<CPP
// $2
#include <sonamu/migration.hpp>

namespace {

void up(sonamu::Knex& knex) {
  knex.schema.createTable("t_$1", [](auto& table) { table.increments("id"); });
}

void down(sonamu::Knex& knex) { knex.schema.dropTable("t_$1"); }

}  // namespace

SONAMU_MIGRATION(up, down)
CPP
}
sql_migration() {  # sql_migration NUMBER COMMENT
  printf -- '-- %s\n-- migrate:up\nCREATE TABLE "s_%s" ("id" integer);\n\n-- migrate:down\nDROP TABLE "s_%s";\n' "$2" "$1" "$1"
}
for n in $(seq 10 49); do cpp_migration "$n" "table $n" >"$work/app/migrations/202603010000${n}_create_t_$n.cpp"; done
for n in $(seq 50 59); do sql_migration "$n" "table $n" >"$work/app/migrations/202603010000${n}_create_s_$n.sql"; done
[ "$(ls "$work/app/migrations" | wc -l)" = 50 ] || fail "the project does not have 50 migrations"

cmake -S "$work/app" -B "$work/app-build" -G "Unix Makefiles" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/app-build" -j2 >"$work/first.log" 2>&1 || fail "first build: $(cat "$work/first.log")"
# The first build compiles every migration and main.cpp: the count below is the build tool's.
compiled() { grep -c "Building CXX object" "$1" || true; }
[ "$(compiled "$work/first.log")" = 51 ] || fail "first build compiled $(compiled "$work/first.log") objects, not 51: $(cat "$work/first.log")"

psql -qAtc "CREATE DATABASE \"$database\""
app() { (cd "$work/app" && timeout 120 "$work/app-build/rebuild_migrate" "$@"); }
recorded_hash() {
  psql -d "$database" -qAtc "SELECT source_hash FROM knex_migrations_sources WHERE name = '$1'"
}

# rebuild_after_edit FILE: edits FILE, checks the stale binary refuses it, rebuilds, and checks
# the build compiled that one migration and linked, and the new binary records the new hash.
rebuild_after_edit() {
  local file=$1 log="$work/rebuild-$1.log" out
  case $file in *.cpp) echo "// edited" ;; *.sql) echo "-- edited" ;; esac >>"$work/app/migrations/$file"
  out=$(app migrate run -c "dbname=$database" 2>&1) && fail "the stale binary ran: $out"
  [[ "$out" == *"changed since this binary was built: $file"* ]] || fail "stale binary: $out"

  cmake --build "$work/app-build" -j2 >"$log" 2>&1 || fail "rebuild: $(cat "$log")"
  local objects
  objects=$(grep "Building CXX object" "$log" || true)
  [ "$(compiled "$log")" = 1 ] || fail "editing $file compiled $(compiled "$log") objects: $objects"
  [[ "$objects" == *"/${file%.*}."* ]] || fail "editing $file compiled another object: $objects"
  grep -q "Linking CXX executable rebuild_migrate" "$log" || fail "editing $file did not relink: $(cat "$log")"

  # Every migration, named after its file, is still compiled in and runs (recorded under its
  # file's name, as knex records it); the edited one is recorded with the hash of the file as it
  # is now.
  local recorded_name="$file"
  out=$(app migrate run -c "dbname=$database" 2>&1) || fail "run after the rebuild: $out"
  [ "$(psql -d "$database" -qAtc "SELECT count(*) FROM knex_migrations")" = 50 ] || fail "not 50 migrations applied: $out"
  [ "$(psql -d "$database" -qAtc "SELECT count(*) FROM knex_migrations WHERE name IN \
    ('20260301000049_create_t_49.cpp', '20260301000059_create_s_59.sql', '$recorded_name')")" = 3 ] ||
    fail "names not taken from the files: $out"
  [ "$(recorded_hash "$recorded_name")" = "$(sha256sum "$work/app/migrations/$file" | cut -d' ' -f1)" ] ||
    fail "$file: recorded '$(recorded_hash "$recorded_name")', the file is $(sha256sum "$work/app/migrations/$file")"
  out=$(app migrate rollback --all --yes -c "dbname=$database" 2>&1) || fail "rollback: $out"
}

rebuild_after_edit 20260301000010_create_t_10.cpp
rebuild_after_edit 20260301000050_create_s_50.sql
echo "migration rebuild: one translation unit per edited migration"
