#!/usr/bin/env bash
# `npm run test:fresh-machine`: proves the test command passes on a machine
# WITHOUT the optional peers (jemalloc, tcmalloc, mimalloc, Go, Chromium, promtool),
# even on a machine that has them (CI installs them for the other steps).
#
# How they are hidden, for real: in a private mount namespace (unshare -m,
# needs root), each directory that holds a peer gets an overlayfs whose upper
# layer has a whiteout (a 0/0 character device) for each peer file, so the
# file is simply absent: open(2), dlopen, `command -v go`, existsSync all say
# ENOENT, exactly as on a fresh machine. Nothing outside the namespace sees
# any of it; the mounts vanish with the process.
#
# Inside it: checks the hiding worked (the libraries do not load, no `go`, no
# Chromium), then runs the native tests and the vitest files that touch peers
# or Chromium with POOLSCOPE_REQUIRE_PEERS unset (they must pass and print one
# `skipped:` line per peer), and finally checks that with
# POOLSCOPE_REQUIRE_PEERS=1 the native peer test FAILS (the variable CI sets
# really turns a missing peer into a failure).
#   scripts/test-fresh-machine.sh          as above
#   scripts/test-fresh-machine.sh --all    run all of `npm test` inside instead
#   scripts/test-fresh-machine.sh --bench  run `npm run bench` inside instead (the README's other
#                                          set-up command; its peers must skip, not fail)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
libdir=/usr/lib/x86_64-linux-gnu
[ -d /usr/lib/aarch64-linux-gnu ] && [ ! -d "$libdir" ] && libdir=/usr/lib/aarch64-linux-gnu

if [ "${POOLSCOPE_FRESH_INSIDE:-}" != 1 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "test:fresh-machine needs root (a mount namespace with overlay mounts); run it as root or in CI" >&2
    exit 2
  fi
  command -v unshare >/dev/null || { echo "test:fresh-machine needs unshare (util-linux)" >&2; exit 2; }
  [ -e build/Release/poolscope.node ] || { echo "build the addon first: npm run build:addon" >&2; exit 2; }
  # --propagation private: nothing mounted inside leaks out.
  exec env POOLSCOPE_FRESH_INSIDE=1 unshare --mount --propagation private bash "$0" "$@"
fi

# ---- inside the private mount namespace ----
scratch="$(mktemp -d "${TMPDIR:-/tmp}/poolscope-fresh.XXXXXX")"
mount -t tmpfs poolscope-fresh "$scratch"  # upper/work dirs cannot live on the overlaid filesystem

# hide <dir> <name...>: overlay <dir> with a whiteout for each existing <dir>/<name>.
hidden=()
hide() {
  local dir="$1"
  shift
  local names=()
  for n in "$@"; do
    if [ -e "$dir/$n" ] || [ -L "$dir/$n" ]; then names+=("$n"); fi
  done
  [ "${#names[@]}" -gt 0 ] || return 0
  local key
  key="$(echo "$dir" | tr / _)"
  mkdir -p "$scratch/$key/upper" "$scratch/$key/work"
  for n in "${names[@]}"; do
    mknod "$scratch/$key/upper/$n" c 0 0
    hidden+=("$dir/$n")
  done
  mount -t overlay "poolscope-fresh$key" -o "lowerdir=$dir,upperdir=$scratch/$key/upper,workdir=$scratch/$key/work" "$dir"
}

names_in() {  # names_in <dir> <glob...>: the entries of <dir> matching the globs
  local dir="$1"
  shift
  (cd "$dir" && for g in "$@"; do for f in $g; do [ -e "$f" ] || [ -L "$f" ] && echo "$f"; done; done) | sort -u
}

# Parents before children: an overlay's lower layer does not see mounts below it, so overlaying
# /usr/lib after /usr/lib/<triplet> would bring the hidden libraries back.
mapfile -t golibs < <(names_in /usr/lib 'go' 'go-[0-9]*' 'chromium')
hide /usr/lib "${golibs[@]}"
mapfile -t libs < <(names_in "$libdir" 'libjemalloc*' 'libtcmalloc*' 'libmimalloc*')
hide "$libdir" "${libs[@]}"
hide /usr/bin go gofmt chromium promtool
hide /usr/local go
echo "test:fresh-machine: hidden in a private mount namespace (${#hidden[@]} paths):"
for h in "${hidden[@]}"; do echo "  $h"; done

# ---- the hiding must really work ----
fail() {
  echo "test:fresh-machine: FAILED: $*" >&2
  exit 1
}
# The loader itself must not find them (not merely fail to load them: jemalloc fails for want of
# static TLS where it is present, which proves nothing).
for soname in libjemalloc.so.2 libtcmalloc_minimal.so.4 libmimalloc.so.2; do
  why="$(python3 -c "import ctypes, sys
try:
    ctypes.CDLL(sys.argv[1])
    print('loads')
except OSError as e:
    print(e)" "$soname")"
  case "$why" in
    *"cannot open shared object file"*) ;;
    *) fail "$soname is still there for the loader: $why" ;;
  esac
done
PATH="$PATH:/usr/lib/go/bin:/usr/local/go/bin" command -v go >/dev/null && fail "go is still on PATH ($(command -v go))"
[ -e /usr/bin/chromium ] && fail "/usr/bin/chromium is still there"
command -v promtool >/dev/null && fail "promtool is still on PATH ($(command -v promtool))"
probe="$(node -e "const a = require('node-gyp-build')('$root'); process.stdout.write(a.peersProbe().map((p) => p.name + '=' + p.state).join(' '))")"
case "$probe" in
  "mimalloc=not-installed jemalloc=not-installed tcmalloc=not-installed") ;;
  *) fail "the addon still sees allocator peers: $probe" ;;
esac
echo "test:fresh-machine: checked: no allocator library loads, no go, no chromium, no promtool ($probe)"

# ---- the test command, as a fresh machine runs it ----
unset POOLSCOPE_REQUIRE_PEERS GLIBC_TUNABLES
log="$scratch/tests.log"
if [ "${1:-}" = --bench ]; then
  npm run bench -- --out "$scratch/bench" 2>&1 | tee "$log" || fail "npm run bench failed without the optional peers"
  [ -s "$scratch/bench/results.json" ] || fail "npm run bench wrote no results.json"
  echo "test:fresh-machine: npm run bench ok without the optional peers; what it said of them:"
  sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -iE 'skip|not installed|unavailable' | sort -u | sed 's/^/  /'
  # One line per skipped peer, however many processes the run was split across.
  repeated="$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^skipped: ' | sort | uniq -d)"
  [ -z "$repeated" ] || fail "npm run bench printed a skip line more than once: $repeated"
  exit 0
elif [ "${1:-}" = --all ]; then
  npm test 2>&1 | tee "$log"
else
  npm run --silent test:native 2>&1 | tee "$log"
  # The vitest files that touch an optional peer, Chromium or promtool.
  mapfile -t files < <(ls test/peers-*.test.ts test/report-html-chromium.test.ts test/prometheus-promtool.test.ts test/cli-reexec.test.ts)
  npx vitest run "${files[@]}" 2>&1 | tee -a "$log"
fi
# ctest shows a test's output only when it fails: run the peer test directly for its skip lines.
build-native/release/native/test/test_peer_allocator | tee -a "$log" >/dev/null
skips="$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^skipped: ' | sort -u || true)"  # without colour codes
echo "test:fresh-machine: skip lines printed:"
echo "$skips" | sed 's/^/  /'
for peer in jemalloc tcmalloc mimalloc Go chromium promtool; do
  echo "$skips" | grep -q "^skipped: $peer " || fail "no 'skipped: $peer ...' line"
done

# ---- and POOLSCOPE_REQUIRE_PEERS=1 turns the same absence into a failure ----
if POOLSCOPE_REQUIRE_PEERS=1 build-native/release/native/test/test_peer_allocator >/dev/null 2>&1; then
  fail "with POOLSCOPE_REQUIRE_PEERS=1 the native peer test passed without the peers"
fi
if POOLSCOPE_REQUIRE_PEERS=1 npx vitest run test/peers-go-run.test.ts >/dev/null 2>&1; then
  fail "with POOLSCOPE_REQUIRE_PEERS=1 test/peers-go-run.test.ts passed without Go"
fi
echo "test:fresh-machine: ok (the tests pass without the optional peers; POOLSCOPE_REQUIRE_PEERS=1 fails them)"
