import { describe, expect, it } from 'vitest';
import { start } from '../examples/http-server.js';
import { parseExposition, sampleValue } from './metrics-text.js';

function fnv1a(s: Buffer): string {
  let h = 0x811c9dc5;
  for (const c of s) h = Math.imul(h ^ c, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

describe('examples/http-server.ts', () => {
  it('processes concurrent bodies in a worker by block index and serves metrics that add up', async () => {
    const server = await start({ port: 0, blockSize: 1024, blocks: 8 });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const n = 40; // more requests than blocks: some may get 503 and retry
      const bodies = Array.from({ length: n }, (_, k) => `request ${k}: ${'abc xyz '.repeat(k % 17)}`);
      const send = async (body: string): Promise<Response> => {
        for (;;) {
          const r = await fetch(`${server.url}/upper`, { method: 'POST', body });
          if (r.status !== 503) return r;
          await r.arrayBuffer();
          await new Promise((res) => setTimeout(res, 5));
        }
      };
      const responses = await Promise.all(bodies.map(send));
      for (const [k, r] of responses.entries()) {
        expect(r.status).toBe(200);
        const text = await r.text();
        expect(text).toBe((bodies[k] as string).toUpperCase());
        expect(r.headers.get('x-checksum')).toBe(fnv1a(Buffer.from(bodies[k] as string)));
      }
      const tooBig = await fetch(`${server.url}/upper`, { method: 'POST', body: 'x'.repeat(2000) });
      expect(tooBig.status).toBe(413);
      await tooBig.text();

      // releases happen in the res.end callbacks, after the client may have the response: scrape
      // until they have all run (or give up after 5 s and let the assertions say what is left)
      const scrape = async () => {
        const m = await fetch(`${server.url}/metrics`);
        expect(m.status).toBe(200);
        expect(m.headers.get('content-type')).toMatch(/^text\/plain/);
        return parseExposition(await m.text());
      };
      const inUse = (q: ReturnType<typeof parseExposition>) =>
        sampleValue(q, 'poolscope_buffer_pool_blocks', { pool: 'bodies', state: 'in_use' });
      let p = await scrape();
      for (let k = 0; k < 100 && inUse(p) !== 0; k++) {
        await new Promise((res) => setTimeout(res, 50));
        p = await scrape();
      }
      const blocks = (state: string) => sampleValue(p, 'poolscope_buffer_pool_blocks', { pool: 'bodies', state });
      expect(blocks('in_use')).toBe(0);
      expect(blocks('in_use') + blocks('cached') + blocks('in_pool')).toBe(8);
      const acquires = sampleValue(p, 'poolscope_buffer_pool_acquires_total', { pool: 'bodies' });
      const releases = sampleValue(p, 'poolscope_buffer_pool_releases_total', { pool: 'bodies' });
      expect(acquires).toBe(n + 1); // every 200 and the 413 took a block (a 503 did not)
      expect(releases).toBe(acquires);
      expect(sampleValue(p, 'poolscope_buffer_pool_threads', { pool: 'bodies' })).toBe(2); // main + worker
      const gets = ['primary', 'victim', 'new'].map((source) =>
        sampleValue(p, 'poolscope_sync_pool_gets_total', { pool: 'jobs', source }),
      );
      expect(gets.reduce((a, b) => a + b, 0)).toBe(n);
      expect(sampleValue(p, 'poolscope_sync_pool_puts_total', { pool: 'jobs' })).toBe(n);
    } finally {
      await server.close();
    }
  });
});
