#!/usr/bin/env bash
# The Debian package, as a user gets it: built by scripts/package.sh from this build, its
# metadata and file list checked, extracted with dpkg -x into a temporary root and used from
# there (sonamu --version, man -l on its page, its bash completion through bash-completion's
# own loader), and checked by lintian.
# Usage: package_test.sh BUILD_DIR SOURCE_DIR PROJECT_VERSION
set -euo pipefail

build=$1
source=$2
version=$3
work=$(mktemp -d -t sonamu-package.XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

passed=0
failed=0
check() {  # check DESCRIPTION COMMAND...: runs COMMAND, counts it
  local what=$1
  shift
  if "$@" >"$work/check.out" 2>&1; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $what" >&2
    sed 's/^/    /' "$work/check.out" >&2
  fi
}
fail() { echo "FAILED: $*" >&2; exit 1; }
same() { [ "$1" = "$2" ] || { printf 'expected: %s\nactual:   %s\n' "$2" "$1"; return 1; }; }

deb=$(timeout 300 "$source/scripts/package.sh" "$build" "$work/out" | tail -n 1)
arch=$(dpkg --print-architecture)
[ "$deb" = "$work/out/sonamu-migrate_${version}_${arch}.deb" ] || fail "package.sh printed '$deb'"
[ -f "$deb" ] || fail "no package at $deb"

# Metadata.
field() { dpkg-deb --field "$deb" "$1"; }
check "Package" same "$(field Package)" sonamu-migrate
check "Version is the project's" same "$(field Version)" "$version"
check "Architecture" same "$(field Architecture)" "$arch"
check "Section" same "$(field Section)" database
check "Maintainer" test -n "$(field Maintainer)"
check "Description" grep -q "knex" <(field Description)
check "Recommends pg_dump's package" grep -q "postgresql-client" <(field Recommends)
check "the changelog's version is the package's" \
  same "$(dpkg-parsechangelog -l "$source/packaging/changelog" -S Version)" "$version"

# Depends: exactly the packages of the shared libraries the executables load (`sonamu`, and
# the SQL migration build step in libexec), as dpkg knows them (dpkg -S on the library the
# dynamic loader would pick).
dpkg -x "$deb" "$work/root"
needed_packages() {
  local library path
  for library in $(objdump -p "$work/root/usr/bin/sonamu" "$work"/root/usr/libexec/sonamu-migrate/* |
                     awk '$1 == "NEEDED" { print $2 }' | sort -u); do
    path=$(ldconfig -p | awk -v lib="$library" '$1 == lib { print $NF; exit }')
    [ -n "$path" ] || { echo "no $library on this system" >&2; return 1; }
    dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -n 1 | cut -d: -f1 ||
      dpkg -S "$path" | head -n 1 | cut -d: -f1
  done | sort -u
}
depends=$(field Depends | tr ',' '\n' | sed 's/(.*)//; s/ //g' | sed '/^$/d' | sort -u)
check "Depends is computed from the executable's libraries" same "$depends" "$(needed_packages)"
check "Depends names libpq5" grep -qx libpq5 <<<"$depends"

# The file list: exactly what `cmake --install` puts under a prefix (the same install rules),
# with the pieces a user looks for, all owned by root.
cmake --install "$build" --prefix "$work/install/usr" >/dev/null
(cd "$work/install" && find . -type f | sort) >"$work/installed.txt"
dpkg-deb --contents "$deb" | awk '$1 !~ /^d/ { print $6 }' | sort >"$work/packaged.txt"
check "the package holds what cmake --install installs" diff "$work/installed.txt" "$work/packaged.txt"
for path in ./usr/bin/sonamu ./usr/share/man/man1/sonamu.1.gz \
  ./usr/share/bash-completion/completions/sonamu \
  ./usr/share/sonamu-migrate/schema/sonamu.config.schema.json ./usr/share/sonamu-migrate/main.cpp \
  ./usr/include/sonamu/migration.hpp ./usr/lib/cmake/SonamuMigrate/SonamuMigrateConfig.cmake \
  ./usr/lib/cmake/SonamuMigrate/SonamuMigrations.cmake ./usr/lib/libsonamu_cli.a \
  ./usr/share/doc/sonamu-migrate/copyright ./usr/share/doc/sonamu-migrate/changelog.gz; do
  check "the package holds $path" grep -qx "$path" "$work/packaged.txt"
done
check "every entry is owned by root" \
  test -z "$(dpkg-deb --contents "$deb" | awk '$2 != "root/root"')"
check "the schema is the repository's" cmp "$source/schema/sonamu.config.schema.json" \
  "$work/root/usr/share/sonamu-migrate/schema/sonamu.config.schema.json"
check "the executable is stripped" sh -c "file '$work/root/usr/bin/sonamu' | grep -q ', stripped'"

# Used from the extracted tree.
check "sonamu --version" same "$("$work/root/usr/bin/sonamu" --version)" "sonamu $version"
man_out=$(MANWIDTH=100 LC_ALL=C.UTF-8 man -l "$work/root/usr/share/man/man1/sonamu.1.gz")
check "man -l shows sonamu(1)" grep -q "^SONAMU(1)" <<<"$man_out"
check "man -l shows the version" grep -q "sonamu $version" <<<"$man_out"
check "the packaged page lists --help's commands and options" \
  python3 "$source/tests/man_page_test.py" "$work/root/usr/bin/sonamu" \
  "$work/root/usr/share/man/man1/sonamu.1.gz" "$source"

# bash-completion finds the file where its pkg-config file says completions go, and loads it
# on demand for the `sonamu` found on PATH.
completionsdir=$(pkg-config --variable=completionsdir bash-completion)
check "the completion is in bash-completion's folder ($completionsdir)" \
  test -f "$work/root$completionsdir/sonamu"
complete_words() {  # complete_words WORD...: what completing the last word offers
  env -i PATH="$work/root/usr/bin:/usr/bin:/bin" XDG_DATA_DIRS="$work/root/usr/share" \
    bash --norc --noprofile -c '
      source /usr/share/bash-completion/bash_completion
      __load_completion sonamu || exit 1
      complete -p sonamu
      COMP_WORDS=("$@")
      COMP_CWORD=$(($# - 1))
      COMP_LINE="$*"
      COMP_POINT=${#COMP_LINE}
      _sonamu sonamu "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
      printf "%s\n" "${COMPREPLY[@]}"' bash "$@"
}
check "bash-completion loads it: complete -F _sonamu sonamu" \
  same "$(complete_words sonamu "" | head -n 1)" "complete -F _sonamu sonamu"
check "completes commands" same "$(complete_words sonamu migrate ro | tail -n +2)" "rollback"
check "completes options" same "$(complete_words sonamu migrate rollback --ba | tail -n +2)" "--backup"
check "completes the top level" same "$(complete_words sonamu "" | tail -n +2 | sort | tr '\n' ' ')" \
  "--help --version -h completion migrate "
check "sourced directly: complete -p sonamu" same "$(bash --norc --noprofile -c \
  "source '$work/root$completionsdir/sonamu' && complete -p sonamu")" "complete -F _sonamu sonamu"

# lintian: no error and no warning, every override explained in CONTRIBUTING.md (the package test).
check "lintian: no errors or warnings" timeout 300 lintian --fail-on error,warning --display-info "$deb"
cat "$work/check.out"
overrides="$work/root/usr/share/lintian/overrides/sonamu-migrate"
if [ -f "$overrides" ]; then
  while read -r tag _; do
    [ -n "$tag" ] && [ "${tag:0:1}" != "#" ] || continue
    check "lintian override $tag is explained in CONTRIBUTING.md" grep -q "\`$tag\`" "$source/CONTRIBUTING.md"
  done < <(sed 's/^[^:]*: //' "$overrides")
fi

echo "package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
