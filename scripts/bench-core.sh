#!/usr/bin/env bash
# npm run bench:core — builds the standalone optimised core benchmark (native/bench/bench_core.cpp, the
# x86-64 asm publish policies, not the TSan build) and runs it. Arguments go to the binary:
#   npm run bench:core -- --rounds 9 --ms 60
set -euo pipefail
cd "$(dirname "$0")/.."
out=build-native/bench
mkdir -p "$out"
"${CXX:-g++}" -std=c++20 -O2 -Wall -Wextra -Werror -Inative native/bench/bench_core.cpp -o "$out/bench_core" -lpthread
exec "$out/bench_core" "$@"
