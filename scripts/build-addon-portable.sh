#!/usr/bin/env bash
# `npm run build:addon:portable`: builds the addon with node-gyp against the
# portable platform layer (binding.gyp's poolscope_platform=portable: what
# macOS and Windows compile) into build-portable/build/Release/poolscope.node,
# leaving build/Release (the Linux layer) alone. Load it by setting
#   POOLSCOPE_ADDON_DIR=$PWD/build-portable/build/Release
# (lib/binding.ts). `npm run test:portable` builds and uses it.
#
# node-gyp always builds into <cwd>/build, so it runs in a staging directory
# whose entries are symlinks to the package's own build inputs: make sees the
# real sources' mtimes and rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
stage=build-portable
mkdir -p "$stage"
for entry in package.json binding.gyp .npmrc native scripts node_modules; do
  ln -sfn "$root/$entry" "$stage/$entry"
done
# node-gyp: on PATH, or the one npm runs scripts with (npm sets npm_config_node_gyp)
if command -v node-gyp >/dev/null; then
  gyp=(node-gyp)
elif [ -n "${npm_config_node_gyp:-}" ]; then
  gyp=(node "$npm_config_node_gyp")
else
  echo "no node-gyp on PATH: run this as 'npm run build:addon:portable'" >&2
  exit 2
fi
cd "$stage"
# configure is cheap and make rebuilds only what changed (same flags, same objects)
"${gyp[@]}" configure -- -Dpoolscope_platform=portable
"${gyp[@]}" build --jobs "$(nproc)"
cd "$root"
addon="$stage/build/Release/poolscope.node"
layer="$(node -p "require('$root/$addon').platformLayer")"
if [ "$layer" != portable ]; then
  echo "FAILED: $addon reports platformLayer '$layer', expected 'portable'" >&2
  exit 1
fi
echo "ok: $addon (platformLayer: portable)"
