#!/usr/bin/env bash
# Installs the Debian packages the project needs, and only those that are missing.
# Idempotent: with everything present it changes nothing and needs no network.
# Extra package names given as arguments are installed the same way (the benchmark's tools).
# With --build first, only what building and running `sonamu` needs (the CI recipes of
# examples/ci/): the compiler, the libraries and pg_dump. With --dev first, that and the
# PostgreSQL server of the local development database (the quick start); none of the test tools.
set -euo pipefail

build_only=false
server=()
case "${1:-}" in
  --build) build_only=true; shift ;;
  --dev) build_only=true; server=(postgresql); shift ;;
esac

# The compiler and the libraries `sonamu` is built with: in both lists below.
build_packages=(
  g++ cmake make pkg-config
  libpqxx-dev libpq-dev libssl-dev libcli11-dev libfmt-dev libspdlog-dev nlohmann-json3-dev libpg-query-dev
)
packages=(
  "${build_packages[@]}" catch2
  postgresql postgresql-client util-linux tmux pgbouncer
  # The Debian package and its checks: cpack's dpkg-shlibdeps, lintian, man, bash-completion,
  # the CI recipes' YAML and JSON.
  dpkg-dev lintian man-db groff-base bash-completion binutils file python3 python3-yaml jq
  # The connection tests' check that no name but the configured host is looked up.
  strace
  # The source size test: functions found by Universal Ctags.
  universal-ctags
  "$@"
)
if "$build_only"; then
  packages=("${build_packages[@]}" "${server[@]}" postgresql-client "$@")
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
# Node and npm (the knex tests) are checked by command, not by package: they may come from
# another build of Node than Debian's, which must then be left alone.
for command in node npm; do
  "$build_only" && break
  if ! command -v "$command" >/dev/null 2>&1; then
    missing+=(nodejs npm)
    break
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

echo "Installing missing packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "error: missing packages (${missing[*]}) and neither root nor sudo is available" >&2
  exit 1
fi
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
