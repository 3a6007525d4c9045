#!/usr/bin/env bash
# `npm run test:package`: proves the published package works for a user.
#   1. stages the source tree (tracked and new, non-ignored files, as a fresh
#      clone would have them) in a temp dir, so the shared checkout's build/
#      and dist/ are never touched;
#   2. packs it there: `npm pack` runs `prepack` (scripts/prebuild.sh, the
#      prebuild) and `prepare` (tsc: dist/ from lib/);
#   3. installs the tarball into an empty project (from npm's cache where it can:
#      `npm ci` caches the tarballs of the dependencies but not their registry
#      metadata, so a strict --offline install fails on a fresh machine), with a PATH that has
#      node/npm/npx but no C++ compiler, make or python: the install can only
#      succeed by loading the prebuild;
#   4. in that project: imports the package, checks the addon came from
#      prebuilds/, runs the public API smoke (pool, one native loop, probe()
#      as far as they exist) and the CLI through `npx poolscope`;
#   5. installs the same tarball again with --build-from-source and the normal
#      PATH: the fallback node-gyp build works from the packed sources alone.
# Set KEEP=1 to keep the temp dir for inspection. SKIP_SOURCE_BUILD=1 skips 5.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/poolscope-package.XXXXXX")"
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$work"' EXIT; else echo "keeping $work"; fi
step() { echo "::: test-package: $*"; }
fail() { echo "test-package: FAIL: $*" >&2; exit 1; }

step "stage the source tree"
mkdir -p "$work/src"
(cd "$root" && git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
  tar --null -T - -cf -) | tar -xf - -C "$work/src"
ln -s "$root/node_modules" "$work/src/node_modules"

# `prepack` runs scripts/prebuild.sh, so the tarball always carries a prebuild
# of the sources being packed, never a stale one left in prebuilds/.
step "npm pack (prepack: prebuild; prepare: tsc)"
rm -rf "$work/src/prebuilds"
tarball="$(cd "$work/src" && PREBUILD_QUIET=1 npm pack --silent --pack-destination "$work" | tail -n 1)"
tarball="$work/$tarball"
[ -f "$tarball" ] || fail "npm pack made no tarball"
ls -l "$tarball"
tar -tzf "$tarball" | sort > "$work/contents.txt"
echo "$(wc -l < "$work/contents.txt") files in the tarball:" $(sed -E 's|^package/||; s|/.*|/|' "$work/contents.txt" | sort | uniq -c | awk '{printf "%s %s,", $2, $1}')
echo "unpacked: $(tar -xzOf "$tarball" | wc -c) bytes"
grep -qE '^package/prebuilds/linux-x64/poolscope(\.[a-z]+)*\.node$' "$work/contents.txt" || fail "no prebuild in the tarball"
if grep -E '^package/(test|lib|bench|results|build|build-cmake|build-native|native/test|native/bench|\.ci)/' "$work/contents.txt"; then
  fail "the tarball holds files users do not need (above)"
fi

# The README promises the prebuild loads on glibc >= the version it names;
# check that against the versioned symbols the prebuild actually needs.
mkdir -p "$work/unpacked" && tar -xzf "$tarball" -C "$work/unpacked"
prebuild_file="$(ls "$work"/unpacked/package/prebuilds/linux-x64/*.node | head -n 1)"
needs_glibc="$(objdump -T "$prebuild_file" | grep -oE 'GLIBC_[0-9]+(\.[0-9]+)*' | sed 's/GLIBC_//' | sort -V | tail -n 1)"
needs_glibcxx="$(objdump -T "$prebuild_file" | grep -oE 'GLIBCXX_[0-9.]+' | sed 's/GLIBCXX_//' | sort -V | tail -n 1)"
echo "prebuild needs glibc $needs_glibc, libstdc++ GLIBCXX_${needs_glibcxx:-none}"
promised="$(grep -oE 'glibc ≥ [0-9.]+' "$root/README.md" | head -n 1 | sed 's/glibc ≥ //')"
[ -n "$promised" ] || fail "README.md names no 'glibc ≥ X.Y' for the prebuild"
[ "$(printf '%s\n%s\n' "$needs_glibc" "$promised" | sort -V | tail -n 1)" = "$promised" ] ||
  fail "the prebuild needs glibc $needs_glibc, README.md promises $promised"
promised_cxx="$(grep -oE 'GLIBCXX_[0-9.]+[0-9]' "$root/README.md" | head -n 1 | sed 's/GLIBCXX_//')"
[ -n "$promised_cxx" ] || fail "README.md names no GLIBCXX_X.Y.Z for the prebuild"
[ "$(printf '%s\n%s\n' "${needs_glibcxx:-0}" "$promised_cxx" | sort -V | tail -n 1)" = "$promised_cxx" ] ||
  fail "the prebuild needs libstdc++ GLIBCXX_$needs_glibcxx, README.md promises GLIBCXX_$promised_cxx"

# A PATH with node, npm and npx only (and sh, which npm runs scripts with):
# no g++/c++/cc/make/python3, so nothing can be compiled.
bin="$work/bin"
mkdir -p "$bin"
for tool in node npm npx sh; do ln -s "$(readlink -f "$(command -v "$tool")")" "$bin/$tool"; done
for tool in g++ c++ cc gcc clang make python3 cmake; do
  if PATH="$bin" command -v "$tool" >/dev/null 2>&1; then fail "$tool is still on the restricted PATH"; fi
done

# The installed package and the smoke script; $1 is the project dir.
write_project() {
  mkdir -p "$1"
  cat > "$1/package.json" <<'JSON'
{ "name": "poolscope-package-test", "version": "1.0.0", "private": true, "type": "module" }
JSON
  cat > "$1/smoke.mjs" <<'JS'
// What a user does first. Each step runs only when its export exists, so the
// script keeps working while the library grows; the list of what ran is printed.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import * as poolscope from 'poolscope';

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('poolscope/package.json'));
const expect = process.argv[2]; // 'prebuild' or 'source'
const ran = [];

// The addon this install loads, by node-gyp-build's rules.
const addonPath = require('node-gyp-build').resolve(pkgDir);
if (expect === 'prebuild') assert.ok(addonPath.includes(`${sep}prebuilds${sep}`), `loaded ${addonPath}, not a prebuild`);
else assert.ok(addonPath.startsWith(join(pkgDir, 'build', 'Release')), `loaded ${addonPath}, not the source build`);
const addon = require(addonPath);
assert.equal(addon.napiVersion, 8);
ran.push(`addon (${Object.keys(addon).length} exports) from ${addonPath.slice(pkgDir.length + 1)}`);

assert.equal(typeof poolscope.PoolscopeError, 'function');
ran.push('import');

if (typeof poolscope.SyncPool === 'function') {
  let made = 0;
  const pool = new poolscope.SyncPool({ create: () => ({ id: ++made }) });
  const a = pool.get();
  pool.put(a);
  assert.equal(pool.get(), a, 'SyncPool.get() after put() returns the cached object');
  assert.equal(pool.stats().misses, 1);
  ran.push('SyncPool');
}
if (typeof poolscope.NativePool === 'function') {
  // the native pool and one short native loop on this thread
  const pool = poolscope.NativePool.create({ objectSize: 64 });
  const r = pool.runLoop({ scenario: 'get-put', ops: 100_000 });
  assert.equal(r.ops, 100_000);
  assert.ok(r.nsPerOp > 0, `runLoop nsPerOp ${r.nsPerOp}`);
  assert.equal(r.stats.gets, 100_000);
  assert.equal(r.stats.fromNew, 1, 'one block made, then served from the private slot');
  pool.destroy();
  ran.push(`NativePool ${pool.info.name} get-put ${r.nsPerOp.toFixed(1)} ns/op`);
}
if (typeof poolscope.SharedBufferPool === 'function') {
  const pool = new poolscope.SharedBufferPool({ blockSize: 256, blocks: 16 });
  const buf = pool.acquire();
  assert.equal(buf.length, 256);
  pool.release(buf);
  pool.close();
  ran.push('SharedBufferPool');
}
if (typeof poolscope.runStress === 'function') {
  // worker threads started from the compiled dist/ (no tsx in a user's install)
  const doc = await poolscope.runStress({ scenario: 'get-put', threads: 2, ops: 20_000, repeat: 2, warmup: 1 });
  const [b] = doc.benchmarks;
  assert.ok(b !== undefined && b.samples.length === 2, 'runStress returns one benchmark with 2 samples');
  assert.ok(b.summary.nsPerOp.median > 0);
  ran.push(`runStress ${b.name} ${b.summary.nsPerOp.median.toFixed(1)} ns/op`);
}
if (typeof poolscope.probe === 'function') {
  const p = await poolscope.probe();
  assert.ok(Array.isArray(p.events) && p.events.length > 0, 'probe() lists events');
  if (process.platform === 'linux') {
    const taskClock = p.events.find((e) => e.name === 'task-clock');
    assert.equal(taskClock?.state, 'counted', `task-clock: ${JSON.stringify(taskClock)}`);
  }
  ran.push(`probe (${p.events.filter((e) => e.state === 'counted').length}/${p.events.length} events counted)`);
}
if (typeof poolscope.measure === 'function') {
  const m = poolscope.measure(() => JSON.stringify({ a: 1 }), { iterations: 2000, warmup: 100 });
  assert.equal(m.iterations, 2000);
  assert.ok(m.nsPerCall > 0, 'measure() reports ns per call');
  ran.push('measure');
}
console.log(`smoke (${expect}): ${ran.join('; ')}`);
JS

  # A TypeScript user: the types resolve through the "exports" map and the
  # packed .d.ts files compile on their own (no skipLibCheck).
  cat > "$1/types.ts" <<'TS'
import * as poolscope from 'poolscope';
import { PoolscopeError, SyncPool } from 'poolscope';

const pool = new SyncPool<{ id: number }>({ create: () => ({ id: 1 }) });
const obj: { id: number } = pool.get();
pool.put(obj);
const err: Error & { code: string } = new PoolscopeError('ERR_TEST', 'test');
export const used = [poolscope, err];
TS
}

cache="$(npm config get cache)"
install_flags=(--prefer-offline --no-audit --no-fund --cache "$cache" --loglevel=error)

step "install the tarball with no compiler on PATH"
proj="$work/project"
write_project "$proj"
(cd "$proj" && PATH="$bin" npm install "${install_flags[@]}" "$tarball") || fail "install without a compiler failed"
[ -d "$proj/node_modules/poolscope/build" ] && fail "the install compiled the addon (node_modules/poolscope/build exists)"

step "use it (no compiler on PATH)"
(cd "$proj" && PATH="$bin" node smoke.mjs prebuild)
tsc_user() { # $@: extra tsc flags
  (cd "$proj" && PATH="$bin" node "$root/node_modules/typescript/bin/tsc" --noEmit --strict \
    --target ES2022 --module NodeNext --moduleResolution NodeNext \
    --typeRoots "$root/node_modules/@types" --types node "$@" types.ts)
}
# Without the optional peer prom-client, as `tsc --init` sets it up (skipLibCheck).
tsc_user --skipLibCheck || fail "the packed types do not type-check (skipLibCheck, no prom-client)"
# With prom-client installed (a metrics user), every packed .d.ts is checked.
prom_version="$(node -p "const p=require('$root/package.json'); (p.peerDependencies||{})['prom-client'] || p.devDependencies['prom-client']")"
(cd "$proj" && PATH="$bin" npm install "${install_flags[@]}" "prom-client@$prom_version") || fail "cannot install prom-client"
tsc_user || fail "the packed types do not type-check (no skipLibCheck, with prom-client)"
echo "types: ok (skipLibCheck without prom-client; full check with prom-client $prom_version)"
# A CommonJS require() gets Node's "use import()" error (ERR_REQUIRE_ESM), not
# "no exports main defined"; Node versions that can require() ESM just load it.
(cd "$proj" && PATH="$bin" node -e "
try { require('poolscope'); } catch (e) {
  if (e.code !== 'ERR_REQUIRE_ESM' && e.code !== 'ERR_REQUIRE_ASYNC_MODULE') throw e;
}") || fail "require('poolscope') fails with an unhelpful error"

# On musl (Alpine) the glibc prebuild must not be picked (so the install builds from source).
if (cd "$proj" && LIBC=musl PATH="$bin" node -e "require('node-gyp-build').resolve('node_modules/poolscope')" 2>/dev/null); then
  fail "node-gyp-build picks the glibc prebuild on musl"
fi
version="$(cd "$proj" && PATH="$bin" npx --offline poolscope --version)"
[ "$version" = "$(node -p "require('$root/package.json').version")" ] || fail "poolscope --version printed '$version'"
echo "npx poolscope --version: $version"
if (cd "$proj" && PATH="$bin" npx --offline poolscope --help) | grep -qE '^ +probe\b'; then
  probe_out="$(cd "$proj" && PATH="$bin" npx --offline poolscope probe)" || fail "npx poolscope probe failed"
  echo "$probe_out" | grep -E '^(cpu|task-clock) '
  echo "$probe_out" | grep -qE '^task-clock +[a-z-]+ +counted' || fail "npx poolscope probe: task-clock not counted"
else
  echo "npx poolscope probe: no probe command yet, skipped"
fi
# bench --processes forks the package's compiled child entry (dist/internal/bench-process.js).
(cd "$proj" && PATH="$bin" npx --offline poolscope bench --suite tiny --no-fidelity -r 2 --processes 2 -q --out "$work/bench-tiny") >/dev/null ||
  fail "npx poolscope bench --processes 2 failed"
node -e "const d=require('$work/bench-tiny/results.json'); if (d.config.processes !== 2 || !d.benchmarks.every((b) => b.samples.map((s) => s.process).join() === '0,1')) process.exit(1)" ||
  fail "npx poolscope bench --processes 2: the samples are not tagged with their processes"
echo "npx poolscope bench --processes 2: ok"

if [ -z "${SKIP_SOURCE_BUILD:-}" ]; then
  step "install the same tarball building from source (fallback path)"
  proj2="$work/project-source"
  write_project "$proj2"
  # node headers from the installed Node, as the checkout's .npmrc says (no network for them)
  nodedir="$(cd "$root" && npm config get nodedir)"
  (cd "$proj2" && npm_config_nodedir="$nodedir" npm install "${install_flags[@]}" --build-from-source "$tarball") ||
    fail "source build from the tarball failed"
  [ -f "$proj2/node_modules/poolscope/build/Release/poolscope.node" ] || fail "--build-from-source built nothing"
  (cd "$proj2" && node smoke.mjs source)
fi
step "ok ($(du -k "$tarball" | cut -f1) KiB tarball)"
