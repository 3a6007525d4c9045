#!/usr/bin/env bash
# `npm run cross-build -- <target> [--test]`: compiles AND links the addon for
# another platform with a Debian cross compiler, from native/sources.txt with
# the flags binding.gyp uses, then shows the result with `file`. That proves
# the sources build and every symbol resolves for that target; the addon
# itself is never run (that needs a Node for the target).
#
# --test (linux-arm64 only): also builds the C++ test suite (native/test, the
# Linux platform layer, scripts/aarch64-linux-gnu.cmake) and runs it with
# ctest under qemu-user (apt-get install qemu-user-static), the target's
# libraries from /usr/aarch64-linux-gnu. Three tests cannot apply under
# qemu-user and are left out, each with one printed line saying why; the
# rest run.
#
#   linux-arm64  apt-get install g++-aarch64-linux-gnu
#                an ELF aarch64 shared object; Node-API symbols stay undefined
#                (node provides them at load time, as on x86-64)
#   win32-x64    apt-get install g++-mingw-w64-x86-64
#                a PE32+ DLL linked against an import library made with
#                dlltool from node-api-headers' node_api.def (NAME NODE.EXE:
#                the symbols resolve against node.exe at load time)
#
# Node-API headers come from the node-api-headers devDependency (pinned in
# package.json), not from the host's Node, so the build needs no network and
# no Node installation for the target.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-}"
run_tests=0
case "${2:-}" in
  "") ;;
  --test) run_tests=1 ;;
  *) echo "usage: scripts/cross-build.sh linux-arm64|win32-x64 [--test] (received '${2}')" >&2; exit 2 ;;
esac
case "$target" in
  linux-arm64)
    cxx=aarch64-linux-gnu-g++
    pkg=g++-aarch64-linux-gnu
    expect='ELF 64-bit LSB shared object, ARM aarch64'
    ;;
  win32-x64)
    # the posix thread model: std::thread/std::mutex need winpthreads with GCC 12's libstdc++
    cxx=x86_64-w64-mingw32-g++-posix
    pkg=g++-mingw-w64-x86-64
    expect='PE32+ executable (DLL)'
    ;;
  *)
    echo "usage: scripts/cross-build.sh linux-arm64|win32-x64 [--test] (received '${target}')" >&2
    exit 2
    ;;
esac
command -v "$cxx" >/dev/null || { echo "no $cxx: apt-get install $pkg" >&2; exit 2; }
if [ "$run_tests" = 1 ]; then
  [ "$target" = linux-arm64 ] || { echo "--test: only linux-arm64 runs its tests (under qemu-user)" >&2; exit 2; }
  qemu="$(command -v qemu-aarch64-static || command -v qemu-aarch64 || true)"
  [ -n "$qemu" ] || { echo "--test: no qemu-aarch64: apt-get install qemu-user-static" >&2; exit 2; }
fi

napi_inc="$(node -p "require('node-api-headers').include_dir")"
addon_inc="$(node -p "require('node-addon-api').include_dir")"
out="build-cross/$target"
rm -rf "$out"
mkdir -p "$out/obj"

flags=(-std=c++20 -O2 -fexceptions -Wall -Wextra -Werror
  -DNAPI_VERSION=8 -DNAPI_CPP_EXCEPTIONS -DNODE_ADDON_API_DISABLE_DEPRECATED
  -I"$napi_inc" -I"$addon_inc" -Inative)
link=()
if [ "$target" = win32-x64 ]; then
  # Node-API's import library: node.exe exports the functions the .def lists.
  def="$(node -p "require('node-api-headers').def_paths.node_api_def")"
  x86_64-w64-mingw32-dlltool --input-def "$def" --output-lib "$out/node_api.lib"
  link=("$out/node_api.lib" -static-libgcc -static-libstdc++ -Wl,-Bstatic -lwinpthread -Wl,-Bdynamic)
else
  flags+=(-fPIC -fvisibility=hidden)
  link=(-ldl -lpthread)
fi

objs=()
failed=()
for src in $(node scripts/sources.cjs); do
  obj="$out/obj/$(basename "$src" .cpp).o"
  if nice -n 5 "$cxx" "${flags[@]}" -c "$src" -o "$obj" 2>"$obj.log"; then
    objs+=("$obj")
  else
    failed+=("$src")
    echo "--- $src does not compile for $target:" >&2
    head -n 20 "$obj.log" >&2
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "FAILED: ${#failed[@]} source(s) do not compile for $target: ${failed[*]}" >&2
  exit 1
fi
"$cxx" -shared -o "$out/poolscope.node" "${objs[@]}" "${link[@]}"
desc="$(file -b "$out/poolscope.node")"
echo "$out/poolscope.node: $desc"
case "$desc" in
  *"$expect"*) echo "ok: the addon compiles and links for $target" ;;
  *) echo "FAILED: expected '$expect'" >&2; exit 1 ;;
esac
[ "$run_tests" = 1 ] || exit 0

# The C++ suite for linux-arm64 under qemu-user. Left out, each for a reason
# of the emulator, not of the code (they run natively on x86-64):
skip_reasons=(
  "counters_group: opens perf events; qemu-user does not emulate perf_event_open (ENOSYS)"
  "counters_privileges: counts perf events in a child; qemu-user does not emulate perf_event_open (ENOSYS)"
  "peer_allocator: re-executes itself through /proc/self/exe, which needs binfmt_misc for aarch64 (a host-wide setting this script leaves alone); no arm64 allocator peers are installed either"
)
skip=()
for r in "${skip_reasons[@]}"; do
  echo "skipped under qemu-user: $r"
  skip+=("${r%%:*}")
done
tests="build-cross/$target-test"
nice -n 5 cmake -S . -B "$tests" -DCMAKE_TOOLCHAIN_FILE="$PWD/scripts/aarch64-linux-gnu.cmake" \
  -DCMAKE_CROSSCOMPILING_EMULATOR="$qemu;-L;/usr/aarch64-linux-gnu" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPOOLSCOPE_TSAN=OFF -DPOOLSCOPE_ASAN=OFF -DPOOLSCOPE_PLATFORM=native >/dev/null
nice -n 5 cmake --build "$tests" -j "$(nproc)"
# test_platform accepts ENOSYS from perf_event_open only when POOLSCOPE_EMULATOR names the emulator
export POOLSCOPE_EMULATOR="$(basename "$qemu")"
pattern="^($(IFS='|'; echo "${skip[*]}"))\$"
nice -n 5 ctest --test-dir "$tests" --output-on-failure -j "$(nproc)" -E "$pattern"
echo "ok: the C++ suite ran for $target under $("$qemu" --version | head -n 1), ${#skip[@]} test(s) left out (above)"
