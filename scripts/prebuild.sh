#!/usr/bin/env bash
# `npm run prebuild`: builds the N-API prebuild for this platform into
# prebuilds/<platform>-<arch>/poolscope.<libc>.node with prebuildify
# (--napi --strip --tag-libc: a glibc build is not tried on musl/Alpine),
# through node-gyp and binding.gyp, so from the one source list
# (native/sources.txt) that CMakeLists.txt also reads.
#
# Why a staging copy: prebuildify runs `node-gyp rebuild` in its working
# directory, which wipes build/ and then moves build/Release/poolscope.node
# away. In a checkout shared by several developers that would pull the addon
# out from under running tests (see scripts/dev-lock.sh). So the files the
# fallback build needs are copied to a temporary directory, built there, and
# only the finished prebuild is copied back. build/ is never touched.
#
# Why nodedir: the machine has no network for node headers; node-gyp takes
# them from the installed Node (nodedir=/usr, as in .npmrc). prebuildify passes
# --target=<node version>, which would otherwise make node-gyp download them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

platform="$(node -p 'process.platform')"
arch="$(node -p 'process.arch')"
export npm_config_nodedir="${npm_config_nodedir:-$(npm config get nodedir 2>/dev/null || true)}"
if [ -z "$npm_config_nodedir" ] || [ "$npm_config_nodedir" = undefined ] || [ "$npm_config_nodedir" = null ]; then
  unset npm_config_nodedir
fi

# node-gyp: npm puts its bundled copy on PATH for `npm run`; outside npm, use
# the one npm ships with.
if [ -z "${PREBUILD_NODE_GYP:-}" ]; then
  if command -v node-gyp >/dev/null 2>&1; then
    PREBUILD_NODE_GYP="$(command -v node-gyp)"
  else
    npm_dir="$(dirname "$(readlink -f "$(command -v npm)")")/.."
    PREBUILD_NODE_GYP="$npm_dir/node_modules/node-gyp/bin/node-gyp.js"
  fi
fi
export PREBUILD_NODE_GYP
# node-gyp's make parallelism (its --jobs, read from npm_config_jobs).
export npm_config_jobs="${npm_config_jobs:-max}"

stage="$(mktemp -d "${TMPDIR:-/tmp}/poolscope-prebuild.XXXXXX")"
trap 'rm -rf "$stage"' EXIT

# What the fallback source build reads; keep in step with package.json "files".
mkdir -p "$stage/native" "$stage/scripts"
cp package.json binding.gyp "$stage/"
cp scripts/sources.cjs "$stage/scripts/"
for dir in native/*/; do
  name="$(basename "$dir")"
  [ "$name" = test ] && continue
  cp -R "$dir" "$stage/native/$name"
done
cp native/sources.txt "$stage/native/"
# binding.gyp resolves node-addon-api's include dir with require() from the
# build directory.
ln -s "$root/node_modules" "$stage/node_modules"

(cd "$stage" && "$root/node_modules/.bin/prebuildify" --napi --strip --tag-libc ${PREBUILD_QUIET:+--quiet})

out="prebuilds/$platform-$arch"
mkdir -p "$out"
rm -f "$out"/*.node
cp "$stage/prebuilds/$platform-$arch"/*.node "$out/"
ls -l "$out"
