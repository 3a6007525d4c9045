#!/usr/bin/env bash
# Builds and runs the C++ tests (native/test) with ctest.
#   scripts/test-native.sh          optimised build, asm publish policies
#   scripts/test-native.sh --tsan   ThreadSanitizer build (publish policies in
#                                   their std::atomic form: TSan cannot see asm)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=release
[ "${1:-}" = "--tsan" ] && mode=tsan
dir="build-native/$mode"
flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
[ "$mode" = tsan ] && flags+=(-DPOOLSCOPE_TSAN=ON)
cmake -S . -B "$dir" "${flags[@]}" >/dev/null
cmake --build "$dir" -j "$(nproc)"
ctest --test-dir "$dir" --output-on-failure -j "$(nproc)"
