#!/usr/bin/env bash
# Builds the Debian package of the project with CPack: scripts/package.sh [BUILD_DIR [OUT_DIR]]
# BUILD_DIR (default build-deb/) is configured when it is not yet, without tests or benchmark,
# with Debian's hardening flags; the .deb is written to OUT_DIR (default BUILD_DIR) and its
# path printed on the last line.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build-deb}
out=${2:-$build}

if [ ! -f "$build/CMakeCache.txt" ]; then
  # dpkg-buildflags: the compiler and linker flags Debian builds its own packages with
  # (fortify, stack protector, relro, bindnow).
  CXXFLAGS="$(dpkg-buildflags --get CXXFLAGS) $(dpkg-buildflags --get CPPFLAGS)" \
    LDFLAGS="$(dpkg-buildflags --get LDFLAGS)" \
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSONAMU_BUILD_TESTS=OFF -DSONAMU_BUILD_BENCH=OFF >/dev/null
fi
cmake --build "$build" -j2 --target sonamu_manual sonamu_package_files >/dev/null
mkdir -p "$out"
if ! cpack -G DEB --config "$build/CPackConfig.cmake" -B "$out" >"$out/cpack.log" 2>&1; then
  cat "$out/cpack.log" >&2
  exit 1
fi
rm -f "$out/cpack.log"
rm -rf "$out/_CPack_Packages"
version=$(sed -n 's/^CPACK_PACKAGE_VERSION:\?[A-Z]*=\?//p; s/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake" | head -n 1)
deb="$out/sonamu-migrate_${version}_$(dpkg --print-architecture).deb"
[ -f "$deb" ] || { echo "error: cpack wrote no $deb" >&2; exit 1; }
echo "$deb"
