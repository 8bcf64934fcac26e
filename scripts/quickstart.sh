#!/usr/bin/env bash
# Quick start: installs what building and running need (not the test tools: scripts/test.sh
# installs those), builds `sonamu` without the tests and the benchmark, starts the local
# development database and runs the example migrations, showing `status` before and after.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

# SONAMU_BUILD_DIR builds elsewhere than build/, as for scripts/test.sh.
build="${SONAMU_BUILD_DIR:-build}"

scripts/install-deps.sh --dev
if [ -f "$build/CMakeCache.txt" ]; then
  # A tree configured before (by scripts/test.sh, say) keeps its own settings: only the
  # executable is built, so a test build stays a test build.
  cmake -S . -B "$build" >/dev/null
else
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSONAMU_BUILD_TESTS=OFF -DSONAMU_BUILD_BENCH=OFF >/dev/null
fi
cmake --build "$build" -j2 --target sonamu
scripts/dev-db.sh start

sonamu="$build/sonamu"
echo
echo "\$ $sonamu migrate status"
"$sonamu" migrate status
echo
echo "\$ $sonamu migrate run"
"$sonamu" migrate run
echo
echo "\$ $sonamu migrate status"
"$sonamu" migrate status
