#!/usr/bin/env node
// Checks placement-randomized sampling's code copies (native/core/scenarios/code_copy.hpp) in the built
// addon: for every loop instantiated as 8 copies (runScenarioCopy<Copy, Local>, allocLoopCopy<Copy>), the
// k-th loop head of each copy (the target of a backward branch, in address order) should sit at a
// different offset mod 64 bytes in each copy. Where the compiler generates the same code for every copy,
// copy c's loop heads are exactly c × 8 bytes after copy 0's (printed as "shifted exactly"); where the
// copies compile slightly differently (the cas variants with GCC 12), loops are matched by order. A
// family fails when its first loop head is not at 8 distinct offsets or any loop head at fewer than
// MIN_DISTINCT. Prints one line per family; exits 1 on any failure.
// Usage: node scripts/check-code-copies.mjs [build/Release/poolscope.node]
import { execFileSync } from 'node:child_process';

const file = process.argv[2] ?? 'build/Release/poolscope.node';
const COPIES = 8;
const STEP = 8;
// 5 of 8: with GCC 12 the cas families' copies compile slightly differently (inlining of the
// batched steal differs between copies), so their inner loop heads, matched by order, can coincide
// mod 64 in up to 3 copies; the first loop head must still sit at 8 distinct offsets.
const MIN_DISTINCT = 5;

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
  const firstDistinct = loops > 0 ? new Set(present.map((f) => f.heads[0] % 64)).size : 0;
  const base = copies[0];
  const exact = base
    ? base.heads.filter((h) =>
        copies.every((f, c) => f?.heads.includes(f.start + (h - base.start) + c * STEP) === true),
      ).length
    : 0;
  const ok = present.length === COPIES && loops > 0 && firstDistinct === COPIES && distinctMin >= MIN_DISTINCT;
  if (!ok) bad++;
  const short = key.length > 100 ? `${key.slice(0, 97)}...` : key;
  console.log(
    `${ok ? 'ok' : 'FAIL'}: ${short}: ${present.length} copies, ${loops} loop heads each, ` +
      `${exact}/${base?.heads.length ?? 0} shifted exactly; fewest distinct offsets mod 64 over the copies: ${loops > 0 ? distinctMin : 0}`,
  );
}
if (families.size === 0) {
  console.log(`FAIL: no code copies found in ${file}`);
  process.exit(1);
}
console.log(
  `${families.size - bad} of ${families.size} loop families: first loop head at ${COPIES} distinct offsets mod 64, ` +
    `every loop head at ${MIN_DISTINCT} or more`,
);
process.exit(bad === 0 ? 0 : 1);
