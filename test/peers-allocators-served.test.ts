/**
 * A block from each peer is really served by that library, not by glibc: the
 * peer's own usable-size function recognises it, the peer's ownership
 * evidence claims it (and disowns a glibc block), and glibc's arena does not
 * grow. jemalloc is checked in a child process started with the static-TLS
 * tunable it needs. A missing peer prints one skip line, or fails the file
 * under POOLSCOPE_REQUIRE_PEERS=1 (test/fixtures/optional-peers.ts).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { addonPath, packageRoot } from '../lib/binding.js';
import {
  checkServedByPeer,
  probeAllocatorPeers,
  type ServedCheck,
  STATIC_TLS_TUNABLE,
} from '../lib/peers/allocators.js';
import { usableAllocatorPeers } from './fixtures/optional-peers.js';

const SIZES = [64, 4096, 65536];
const BLOCKS = 256;

function expectServed(c: ServedCheck, size: number): void {
  expect(c.ran).toBe(true);
  expect(c.usableOk).toBe(true);
  expect(c.minUsable).toBeGreaterThanOrEqual(size);
  expect(c.ownedByPeer).toBe(true);
  expect(c.glibcBlockNotOwned).toBe(true);
  // 256 blocks from glibc would grow its arena by at least 256 × size; half of that leaves room for a
  // V8 background thread that shares glibc's main arena and allocates meanwhile.
  expect(c.glibcArenaDelta).toBeLessThan((size * BLOCKS) / 2);
}

const usable = usableAllocatorPeers();

describe('peer blocks are served by the peer', () => {
  // In this process (started without the static-TLS tunable) every peer but jemalloc loads.
  for (const s of probeAllocatorPeers().filter((p) => p.name !== 'jemalloc')) {
    it.skipIf(!usable.has(s.name))(`${s.name} serves its own blocks`, () => {
      expect({ state: s.state, reason: s.reason }).toEqual({ state: 'loaded', reason: undefined });
      for (const size of SIZES) expectServed(checkServedByPeer(s.name as never, size, BLOCKS), size);
    });
  }

  it.skipIf(!usable.has('jemalloc'))('jemalloc (loaded with the static-TLS tunable) serves its own blocks', () => {
    const script = `const a = require(${JSON.stringify(addonPath())});
const st = a.peersProbe().find((p) => p.name === 'jemalloc');
const checks = st.state === 'loaded' ? [64, 4096, 65536].map((s) => [s, a.peersCheckServed('jemalloc', s, ${BLOCKS})]) : [];
process.stdout.write(JSON.stringify({ st, checks }));`;
    const out = execFileSync(process.execPath, ['-e', script], {
      env: { ...process.env, GLIBC_TUNABLES: STATIC_TLS_TUNABLE },
      cwd: packageRoot,
      encoding: 'utf8',
    });
    const { st, checks } = JSON.parse(out) as { st: { state: string }; checks: Array<[number, ServedCheck]> };
    expect(st.state).toBe('loaded');
    expect(checks).toHaveLength(3);
    for (const [size, c] of checks) {
      expectServed(c, size);
      expect(c.how).toContain('thread.allocated');
    }
  });
});
