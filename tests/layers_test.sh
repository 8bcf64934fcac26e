#!/usr/bin/env bash
# The layers of src/ point one way: each folder may include headers of its own layer and of the
# layers below it, never above (README, "Layout"). libpqxx is known to the PostgreSQL adapters
# and to the CLI's connection code only; the public headers include nothing of src/.
# Usage: layers_test.sh SOURCE_DIR
set -euo pipefail
cd "$1"

# The layers each folder may include, itself first.
declare -A allowed=(
  [core]="core"
  [builder]="builder core"
  [conninfo]="conninfo core"
  [pg]="pg builder conninfo core"
  [engine]="engine builder core"
  [config]="config conninfo core"
  [cli]="cli engine pg config conninfo builder core"
)
# Files of cli/ that hold the connection and the signals: the only ones there that see libpqxx.
pqxx_in_cli="src/cli/app.cpp src/cli/invocation.cpp src/cli/signal_watcher.hpp src/cli/signal_watcher.cpp"

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
    if grep -q '^#include <pqxx/' "$file"; then
      case "$layer" in
        pg) ;;
        cli) case " $pqxx_in_cli " in *" $file "*) ;; *) fail "$file includes libpqxx" ;; esac ;;
        *) fail "$file includes libpqxx" ;;
      esac
    fi
  done
done

while IFS= read -r file; do
  checked=$((checked + 1))
  if grep -q '^#include "' "$file"; then fail "$file (installed) includes a header of src/"; fi
  if grep -q '^#include <\(pqxx\|fmt\|spdlog\|CLI\|nlohmann\)/' "$file"; then
    fail "$file (installed) includes a library that the package does not export"
  fi
done < <(find include -name '*.hpp')

if [ "$failures" -ne 0 ]; then
  echo "layers: $checked files checked: 0 passed, $failures failed"
  exit 1
fi
echo "layers: $checked files checked: 1 passed, 0 failed"
