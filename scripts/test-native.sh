#!/usr/bin/env bash
# Builds and runs the C++ tests (native/test) with ctest.
#   scripts/test-native.sh             optimised build, asm publish policies
#   scripts/test-native.sh --tsan      ThreadSanitizer build (publish policies in
#                                      their std::atomic form: TSan cannot see asm)
#   scripts/test-native.sh --asan      AddressSanitizer + UBSan (+ LeakSanitizer) build;
#                                      any report fails the test
#   scripts/test-native.sh --portable  against the portable platform layer
#                                      (native/platform: what macOS/Windows compile)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=release
case "${1:-}" in
  "") ;;
  --tsan) mode=tsan ;;
  --asan) mode=asan ;;
  --portable) mode=portable ;;
  *) echo "usage: scripts/test-native.sh [--tsan|--asan|--portable] (received '$1')" >&2; exit 2 ;;
esac
dir="build-native/$mode"
flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DPOOLSCOPE_TSAN=OFF -DPOOLSCOPE_ASAN=OFF -DPOOLSCOPE_PLATFORM=native)
case "$mode" in
  tsan) flags+=(-DPOOLSCOPE_TSAN=ON) ;;
  asan)
    flags+=(-DPOOLSCOPE_ASAN=ON)
    # halt_on_error: the first report fails the test. detect_leaks: LSan at exit.
    # The suppressions cover leaks inside the allocator peers' own libraries (see the file).
    export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
    export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan-suppressions.txt:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
    export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
    ;;
  portable) flags+=(-DPOOLSCOPE_PLATFORM=portable) ;;
esac
cmake -S . -B "$dir" "${flags[@]}" >/dev/null
cmake --build "$dir" -j "$(nproc)"
ctest --test-dir "$dir" --output-on-failure -j "$(nproc)"
