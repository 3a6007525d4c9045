#!/usr/bin/env bash
# Compiles and links the addon for another Linux architecture (default
# aarch64; needs Debian's g++-aarch64-linux-gnu), with the flags binding.gyp
# uses, from native/sources.txt. It checks what README "Platforms" says: off
# x86-64 the sources build with the portable std::atomic variants (no x86 asm
# or intrinsics leak in). It cannot run the result (no emulator here).
# Usage: bash scripts/prebuild-cross-check.sh [triplet]
set -euo pipefail
cd "$(dirname "$0")/.."
triplet="${1:-aarch64-linux-gnu}"
cxx="$triplet-g++"
command -v "$cxx" >/dev/null || { echo "no $cxx (apt-get install g++-$triplet)" >&2; exit 2; }
nodedir="$(npm config get nodedir 2>/dev/null || true)"
[ -d "$nodedir/include/node" ] || nodedir="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
addon_inc="$(node -p "require('node-addon-api').include_dir")"
out="$(mktemp -d "${TMPDIR:-/tmp}/poolscope-cross.XXXXXX")"
trap 'rm -rf "$out"' EXIT
objs=()
for src in $(node scripts/sources.cjs); do
  obj="$out/$(echo "$src" | tr / _).o"
  "$cxx" -std=c++20 -O2 -fPIC -fexceptions -Wall -Wextra -Werror \
    -DNAPI_VERSION=8 -DNAPI_CPP_EXCEPTIONS -DNODE_ADDON_API_DISABLE_DEPRECATED \
    -I"$nodedir/include/node" -I"$addon_inc" -Inative -c "$src" -o "$obj"
  objs+=("$obj")
done
"$cxx" -shared -o "$out/poolscope.node" "${objs[@]}" -ldl -lpthread
file "$out/poolscope.node"
echo "ok: the addon compiles and links for $triplet"
