#!/usr/bin/env bash
# The layers of src/ point one way: each folder may include headers of its own layer and of the
# layers below it, never above (CONTRIBUTING.md, "Layout"). libpqxx is known to the PostgreSQL adapters
# and to the CLI's connection code only; the public headers include nothing of src/.
# Usage: layers_test.sh SOURCE_DIR
set -euo pipefail
cd "$1"

# The layers each folder may include, itself first.
declare -A allowed=(
  [core]="core"
  [builder]="builder core"
  [conninfo]="conninfo core"
  # PostgreSQL's grammar (libpg_query) for what must be read exactly as the server reads it:
  # the statements that control a transaction, the tokens of a SQL migration file.
  [grammar]="grammar core"
  [pg]="pg grammar builder conninfo core"
  [engine]="engine builder core"
  # The lint reads SQL with libpg_query and judges the engine's rehearsal: above the engine,
  # below the CLI.
  [lint]="lint engine builder core"
  [config]="config conninfo core"
  # What a result looks like (text, JSON, progress, fleet tables): of the engine's values,
  # never of the command line, the machine or the driver.
  [output]="output engine builder conninfo core"
  # The machine: pg_dump, signals, prompts, scaffolding, hashes.
  [host]="host pg grammar builder conninfo core"
  [cli]="cli output host lint engine pg config conninfo grammar builder core"
)
# Files of cli/ that hold the connection (a fleet worker holds its target's) and the one
# mapping of a failure to an exit code (libpqxx's errors among them), and of host/ the signal
# watcher, which cancels the statements of the connections it watches: the only ones outside
# pg/ that see libpqxx.
pqxx_outside_pg="src/cli/app.cpp src/cli/failure.cpp src/cli/invocation.cpp src/cli/fleet_worker.cpp src/host/signal_watcher.hpp src/host/signal_watcher.cpp"

failures=0
checked=0
fail() { echo "FAILED: $*" >&2; failures=$((failures + 1)); }

for dir in src/*/; do
  layer=$(basename "$dir")
  [ -n "${allowed[$layer]:-}" ] || { fail "src/$layer is no known layer"; continue; }
  for file in "$dir"*.hpp "$dir"*.cpp; do
    [ -e "$file" ] || continue
    checked=$((checked + 1))
    while IFS= read -r included; do
      target=${included%%/*}
      case " ${allowed[$layer]} " in
        *" $target "*) ;;
        *) fail "$file includes \"$included\": $layer may include only ${allowed[$layer]}" ;;
      esac
    done < <(sed -n 's/^#include "\([a-z_]*\/[^"]*\)".*/\1/p' "$file")
    if grep -q '^#include <pg_query' "$file" && [ "$layer" != lint ] && [ "$layer" != grammar ]; then fail "$file includes libpg_query"; fi
    if grep -q '^#include <pqxx/' "$file"; then
      case "$layer" in
        pg) ;;
        cli | host) case " $pqxx_outside_pg " in *" $file "*) ;; *) fail "$file includes libpqxx" ;; esac ;;
        *) fail "$file includes libpqxx" ;;
      esac
    fi
  done
done

while IFS= read -r file; do
  checked=$((checked + 1))
  if grep -q '^#include "' "$file"; then fail "$file (installed) includes a header of src/"; fi
  libraries='pqxx\|fmt\|spdlog\|CLI\|nlohmann'
  # sonamu/json.hpp is the one opt-in header for nlohmann::json values: a migration that
  # includes it uses nlohmann-json (header-only) itself. Nothing else includes it.
  [ "$file" = include/sonamu/json.hpp ] && libraries='pqxx\|fmt\|spdlog\|CLI'
  if grep -q "^#include <\($libraries\)/" "$file"; then
    fail "$file (installed) includes a library that the package does not export"
  fi
  if [ "$file" != include/sonamu/json.hpp ] && grep -q '^#include <sonamu/json.hpp>' "$file"; then
    fail "$file (installed) includes the opt-in sonamu/json.hpp"
  fi
done < <(find include -name '*.hpp')

# A command is told apart by its entry of the command table (its traits, its function, its
# kind), never by comparing its name: only the table itself holds the names.
names=$(sed -n 's/^ *{"\([a-z]*\)", "[A-Z].*/\1/p' src/cli/command_table.cpp | paste -sd'|')
[ -n "$names" ] || fail "no command names found in src/cli/command_table.cpp"
while IFS= read -r hit; do
  fail "$hit: a command name compared as a string outside the command table"
done < <(grep -rnE "command[a-z_.()]* *[!=]= *\"($names)\"|\"($names)\" *[!=]= *[a-z_.]*command" \
             src/cli src/output src/host src/engine src/core src/config src/lint \
             --include='*.cpp' --include='*.hpp' |
           grep -v '^src/cli/command_table.cpp:')

if [ "$failures" -ne 0 ]; then
  echo "layers: $checked files checked: 0 passed, $failures failed"
  exit 1
fi
echo "layers: $checked files checked: 1 passed, 0 failed"
