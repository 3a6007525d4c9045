#!/usr/bin/env node
// Checks placement-randomized sampling's code copies (native/core/scenarios/code_copy.hpp) in the built
// addon: for every loop instantiated as 8 copies (runScenarioCopy<Copy, Local>, allocLoopCopy<Copy>), the
// k-th loop head of each copy (the target of a backward branch) must sit at a different offset mod 64
// bytes in each of the 8 copies. Prints one line per loop family and exits 1 when any family's loop
// heads collide. Usage: node scripts/check-code-copies.mjs [build/Release/poolscope.node]
import { execFileSync } from 'node:child_process';

const file = process.argv[2] ?? 'build/Release/poolscope.node';
const COPIES = 8;

/** Function name → { start, heads: loop-head addresses in order }. */
function loopHeads(text) {
  const fns = new Map();
  let current;
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+) <(.*)>:$/.exec(line);
    if (head) {
      current = { start: Number.parseInt(head[1], 16), end: 0, name: head[2], targets: [] };
      fns.set(current.name, current);
      continue;
    }
    if (!current) continue;
    const insn = /^\s*([0-9a-f]+):\s+(j[a-z]+)\s+([0-9a-f]+) </.exec(line);
    if (insn) {
      const at = Number.parseInt(insn[1], 16);
      const to = Number.parseInt(insn[3], 16);
      if (to <= at && to >= current.start) current.targets.push(to);
    }
  }
  for (const f of fns.values()) f.heads = [...new Set(f.targets)].sort((a, b) => a - b);
  return fns;
}

const text = execFileSync('objdump', ['-d', '--no-show-raw-insn', '-C', file], {
  encoding: 'utf8',
  maxBuffer: 1 << 30,
});
const families = new Map();
for (const f of loopHeads(text).values()) {
  const m = /(runScenarioCopy|allocLoopCopy)<(\d)u(.*)>\(/.exec(f.name);
  if (!m) continue;
  const key = `${m[1]}<Copy${m[3]}>`;
  if (!families.has(key)) families.set(key, new Array(COPIES));
  families.get(key)[Number(m[2])] = f;
}
let bad = 0;
for (const [key, copies] of families) {
  const present = copies.filter(Boolean);
  const loops = Math.min(...present.map((f) => f.heads.length));
  let distinctMin = COPIES;
  for (let k = 0; k < loops; k++) {
    const residues = new Set(present.map((f) => f.heads[k] % 64));
    distinctMin = Math.min(distinctMin, residues.size);
  }
  const ok = present.length === COPIES && loops > 0 && distinctMin === COPIES;
  if (!ok) bad++;
  const short = key.length > 110 ? `${key.slice(0, 107)}...` : key;
  console.log(
    `${ok ? 'ok' : 'FAIL'}: ${short}: ${present.length} copies, ${loops} loop heads each, ` +
      `fewest distinct offsets mod 64 over the copies: ${loops > 0 ? distinctMin : 0}`,
  );
}
if (families.size === 0) {
  console.log(`FAIL: no code copies found in ${file}`);
  process.exit(1);
}
console.log(
  `${families.size - bad} of ${families.size} loop families have ${COPIES} distinct loop-head offsets mod 64`,
);
process.exit(bad === 0 ? 0 : 1);
