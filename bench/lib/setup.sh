# shellcheck shell=bash
# What every benchmark script does first. Sourced, not run, once `root` names the project:
#
#   root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
#   source "$root/bench/lib/setup.sh"
#
# Sources scripts/lib/postgres.sh and bench/lib/server.sh; sets bench (the bench folder) and
# build: SONAMU_BENCH_BUILD_DIR (default bench/.build), created and made absolute, as the
# measurements run from another folder.

# (root is the caller's; what this sets is read by the caller, both unseen by shellcheck:)
# shellcheck disable=SC2034,SC2154

bench="$root/bench"
# shellcheck source=SCRIPTDIR/../../scripts/lib/postgres.sh
source "$root/scripts/lib/postgres.sh"
# shellcheck source=SCRIPTDIR/server.sh
source "$bench/lib/server.sh"

build="${SONAMU_BENCH_BUILD_DIR:-$bench/.build}"
mkdir -p "$build"
build=$(cd "$build" && pwd)

# bench_build TARGET [CMAKE_OPTION...]: builds TARGET in $build, quietly. A build folder that
# is not configured yet is configured first (no tests, the CMAKE_OPTIONs added); an existing
# one is used as it is configured (the development build works too).
bench_build() {
  local target=$1
  shift
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSONAMU_BUILD_TESTS=OFF "$@" >/dev/null
  fi
  cmake --build "$build" -j2 --target "$target" >/dev/null
}

# bench_start: starts the throwaway server (stopped when the script exits) and moves into its
# folder, which holds no `migrations/`: the binaries compare that folder with what they hold.
# Sets psql: the server's own psql, quiet, without .psqlrc, stopping at the first error.
bench_start() {
  trap stop_bench_server EXIT
  start_bench_server
  psql=("$bench_bindir/psql" -X -q -v ON_ERROR_STOP=1)
  cd "$bench_scratch" || exit
}

# The line the reports start with: when, on how many cores, and how busy the machine was.
bench_date_line() {
  echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

# hyperfine_median_ms CSV NAME: the median of command NAME in hyperfine's CSV (command,mean,
# stddev,median,... in seconds), in milliseconds with one decimal. Names hold no comma, so
# hyperfine leaves them unquoted.
hyperfine_median_ms() { awk -F, -v name="$2" '$1 == name { printf "%.1f", $4 * 1000 }' "$1"; }
