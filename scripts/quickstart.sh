#!/usr/bin/env bash
# Quick start: installs what is missing, builds, starts the local development database and
# runs the example migrations, showing `status` before and after.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 --target sonamu
scripts/dev-db.sh start

echo
echo "\$ build/sonamu migrate status"
build/sonamu migrate status
echo
echo "\$ build/sonamu migrate run"
build/sonamu migrate run
echo
echo "\$ build/sonamu migrate status"
build/sonamu migrate status
