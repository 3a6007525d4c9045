#!/usr/bin/env bash
# For several developers working in one checkout at once: runs a command under
# a lock on the addon build. `scripts/dev-lock.sh build` rebuilds the addon
# holding the lock exclusively; `scripts/dev-lock.sh run CMD...` runs CMD
# (e.g. npx vitest run test/pool) holding it shared, so no build replaces the
# .node file while a test has it loaded.
set -euo pipefail
cd "$(dirname "$0")/.."
lock=/tmp/poolscope-addon.lock
case "${1:-}" in
  build) flock -x "$lock" npm run --silent build:addon ;;
  run) shift; flock -s "$lock" "$@" ;;
  *) echo "usage: scripts/dev-lock.sh build | run CMD..." >&2; exit 2 ;;
esac
