#!/usr/bin/env bash
# Installs knex and the pg driver into tests/knex/node_modules from the committed lockfile, for
# the tests that use knex itself as the reference. Idempotent: when node_modules was installed
# from this very lockfile (its hash is stamped there), it changes nothing and needs no network.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir="$root/tests/knex"
stamp="$dir/node_modules/.package-lock.sha256"

for command in node npm; do
  if ! command -v "$command" >/dev/null 2>&1; then
    echo "error: $command is not installed (scripts/install-deps.sh installs it)" >&2
    exit 1
  fi
done

want=$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

echo "Installing knex from tests/knex/package-lock.json"
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
echo "$want" >"$stamp"
