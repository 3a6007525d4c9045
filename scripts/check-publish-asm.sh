#!/usr/bin/env bash
# Checks that each publish policy's ring push and pop compile to the instruction the policy is named
# after (and that the others do not sneak in a fence): disassembles the probe object built from
# native/test/publish_probe.cpp. Usage: scripts/check-publish-asm.sh <publish_probe.o>
set -euo pipefail
obj="$1"
fail=0
body() { objdump -d --no-show-raw-insn --disassemble="$1" "$obj" | sed -n '/<'"$1"'>:/,$p'; }
expect() {  # function, extended regex that must match, regex that must not match
  local fn="$1" want="$2" never="$3" text
  text="$(body "$fn")"
  if ! grep -Eq "$want" <<<"$text"; then
    echo "FAIL: $fn has no /$want/"; echo "$text"; fail=1
  elif [ -n "$never" ] && grep -Eq "$never" <<<"$text"; then
    echo "FAIL: $fn contains /$never/"; echo "$text"; fail=1
  else
    echo "ok: $fn: $(grep -Eo "$want" <<<"$text" | head -1)"
  fi
}
for op in push pop; do
  expect "poolscope_probe_${op}_xadd" 'lock xadd' 'mfence|cmpxchg'
  expect "poolscope_probe_${op}_cas" 'lock cmpxchg' 'mfence|xadd'
  expect "poolscope_probe_${op}_mfence" 'mfence' ''
  expect "poolscope_probe_${op}_xchg" 'xchg ' 'mfence'
done
# Mfence's push is the plain store + fence, with no locked instruction at all.
expect poolscope_probe_push_mfence 'mov +%[a-z0-9]+,\(%|mov +%[a-z0-9]+,0x' 'lock|xchg'
exit $fail
