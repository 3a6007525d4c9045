#!/usr/bin/env bash
# npm run bench:soak — builds the soak benchmark (native/bench/bench_soak.cpp, optimised, the x86-64 asm
# publish policies) and runs it. Not part of npm test. Arguments go to the binary:
#   npm run bench:soak -- --rounds 20000 --blocks 2000 --clear-ms 10
set -euo pipefail
cd "$(dirname "$0")/.."
out=build-native/bench
mkdir -p "$out"
"${CXX:-g++}" -std=c++20 -O2 -Wall -Wextra -Werror -Inative native/bench/bench_soak.cpp -o "$out/bench_soak" -lpthread
exec "$out/bench_soak" "$@"
