import { describe, expect, it } from 'vitest';
import { startZeroCopy } from '../examples/piscina-zero-copy.js';

function fnv1a(s: Buffer): string {
  let h = 0x811c9dc5;
  for (const c of s) h = Math.imul(h ^ c, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

describe('examples/piscina-zero-copy.ts', () => {
  it('piscina workers process bodies in place in pool blocks handed over by index, and release them', async () => {
    const service = startZeroCopy({ blockSize: 4096, blocks: 16, threads: 2 });
    try {
      const bodies = Array.from({ length: 48 }, (_, k) => `body ${k}: ${'mixed Case text '.repeat(1 + (k % 9))}`);
      // 8 in flight (of 16 blocks: the workers' caches may hold a few freed ones)
      const results: { k: number; checksum: string; changed: number }[] = [];
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < bodies.length) {
          const k = next++;
          results.push({ k, ...(await service.upper(bodies[k] as string)) });
        }
      };
      await Promise.all(Array.from({ length: 8 }, lane));
      expect(results).toHaveLength(bodies.length);
      for (const r of results) {
        const body = bodies[r.k] as string;
        // the task got an index and a length, nothing else: the right checksum means it read the block
        expect(r.checksum).toBe(fnv1a(Buffer.from(body.toUpperCase())));
        expect(r.changed).toBe([...body].filter((c) => c >= 'a' && c <= 'z').length);
      }
      const s = service.pool.stats();
      expect(s.inUse).toBe(0); // every block came back, released on the workers
      expect(s.threads).toBe(3); // the main thread and two piscina workers attached

      // In place: once the workers are gone (their cached blocks return to the pool), the blocks
      // hold the upper-cased bodies the workers wrote (acquire does not clear a block).
      await service.piscina.destroy();
      const blocks = Array.from({ length: 16 }, () => service.pool.acquire());
      const seen = blocks.map((b) => b.toString('latin1', 0, 9));
      expect(seen.some((t) => t.startsWith('BODY '))).toBe(true);
      expect(seen.some((t) => t.startsWith('body '))).toBe(false);
      for (const b of blocks) service.pool.release(b);
    } finally {
      await service.close();
    }
  });
});
