#!/usr/bin/env bash
# `npm run test:portable`: the whole test suite against the portable platform
# layer (native/platform: what macOS and Windows compile), on Linux:
#   1. the C++ suite (native/test), built with -DPOOLSCOPE_PLATFORM=portable;
#   2. the addon built with binding.gyp's poolscope_platform=portable into
#      build-portable/ (scripts/build-addon-portable.sh; build/Release is left alone);
#   3. the JS suite (vitest) loading that addon through POOLSCOPE_ADDON_DIR.
# Tests ask the addon's platformLayer and assert the portable behaviour there
# (every perf event not-supported with "no perf_event_open on this OS",
# pinned: false) instead of the Linux one.
# Extra arguments go to vitest (e.g. a test file) and skip the C++ suite.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$#" -eq 0 ]; then
  bash scripts/test-native.sh --portable
fi
bash scripts/build-addon-portable.sh
export POOLSCOPE_ADDON_DIR="$PWD/build-portable/build/Release"
echo "vitest against $POOLSCOPE_ADDON_DIR/poolscope.node (platformLayer: portable)"
npx vitest run "$@"
