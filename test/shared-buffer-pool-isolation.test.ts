// Issue 15.1: a block exposes only itself. Its ArrayBuffer is that block (so
// postMessage copies blockSize bytes, not the slab), no block reaches another
// or the pool's state words, objects made from a block are refused, and a
// handle must be the pool's own.
import { once } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { SharedBufferPool } from '../lib/shared-buffer-pool.js';
import { closedAfterEachTest } from './fixtures/shared-buffer-pools.js';

const code = (c: string) => expect.objectContaining({ code: c });
const make = closedAfterEachTest();

describe('SharedBufferPool: a block is its own ArrayBuffer', () => {
  it("a block's .buffer is exactly that block, and no two blocks share one", () => {
    const pool = make(4096, 8);
    const held = Array.from({ length: 8 }, () => pool.acquire());
    for (const b of held) {
      expect(b.buffer.byteLength).toBe(4096);
      expect(b.byteOffset).toBe(0);
      expect(b.length).toBe(4096);
    }
    expect(new Set(held.map((b) => b.buffer)).size).toBe(8);
    // writing the whole of one block's ArrayBuffer leaves every other block alone
    for (const b of held) b.fill(0);
    new Uint8Array(held[3]?.buffer as ArrayBuffer).fill(0xff);
    for (const [k, b] of held.entries()) expect(b.every((x) => x === (k === 3 ? 0xff : 0))).toBe(true);
    for (const b of held) pool.release(b);
  });

  it('the state words are out of reach: rewriting a whole block does not let a double release through', () => {
    const pool = make(64, 4, { threadCacheSize: 4 });
    const a = pool.acquire();
    pool.release(a);
    for (const b of [pool.acquire(), pool.acquire()]) {
      new Int32Array(b.buffer).fill(-1); // what a forged "held" word would look like, anywhere it can write
      pool.release(b);
    }
    expect(() => pool.release(a)).toThrow(code('ERR_BLOCK_NOT_HELD'));
  });

  it('postMessage of a 1 MiB block of a 512-block pool copies that block (1 MiB), not the slab (512 MiB)', async () => {
    const pool = make(1 << 20, 512);
    const block = pool.acquire();
    block.fill(0x5a);
    const { port1, port2 } = new MessageChannel();
    const received = once(port2, 'message') as Promise<[{ buf: Uint8Array }]>;
    port1.postMessage({ buf: block });
    const [{ buf }] = await received;
    port1.close();
    expect(buf.byteLength).toBe(1 << 20);
    expect(buf.buffer.byteLength).toBe(1 << 20); // the whole copied ArrayBuffer: one block
    expect(buf.every((x) => x === 0x5a)).toBe(true);
    pool.release(block);
  });

  it('a block in a transfer list: refused (DataCloneError) or copied, never detached from the pool', async () => {
    const pool = make(4096, 4);
    const block = pool.acquire();
    block.fill(7);
    const { port1, port2 } = new MessageChannel();
    const received = once(port2, 'message') as Promise<[{ buf: Uint8Array }]>;
    let refused: unknown;
    try {
      port1.postMessage({ buf: block }, [block.buffer as ArrayBuffer]);
    } catch (err) {
      refused = err;
    }
    if (refused === undefined) {
      // Node 20: an external ArrayBuffer in a transfer list is ignored there, and cloned (copied)
      const [{ buf }] = await received;
      expect(buf.buffer.byteLength).toBe(4096);
      expect(buf[0]).toBe(7);
    } else {
      expect((refused as Error).name).toBe('DataCloneError'); // Node 21+: untransferable
    }
    port1.close();
    expect(block.length).toBe(4096); // still the pool's, still usable
    expect(block.buffer.byteLength).toBe(4096);
    pool.release(block);
  });

  it.each([
    ['a Proxy of a block', (b: Buffer) => new Proxy(b, {})],
    ['Object.create(block)', (b: Buffer) => Object.create(b) as Buffer],
    ['a copy', (b: Buffer) => Buffer.from(b)],
    ['a view over the same ArrayBuffer', (b: Buffer) => Buffer.from(b.buffer)],
  ])('release and indexOf refuse %s with ERR_FOREIGN_BUFFER', (_what, fake) => {
    const pool = make(64, 4);
    const block = pool.acquire();
    expect(() => pool.release(fake(block))).toThrow(code('ERR_FOREIGN_BUFFER'));
    expect(() => pool.indexOf(fake(block))).toThrow(code('ERR_FOREIGN_BUFFER'));
    pool.release(block); // the real one is still held
  });
});

describe('SharedBufferPool.attach checks the handle against the pool', () => {
  it.each([
    ['blockSize', 128, /handle.blockSize must be 64, the pool's block size/],
    ['blocks', 16, /handle.blocks must be 8, the pool's block count/],
    ['threadCacheSize', 3, /handle.threadCacheSize must be 1, the pool's threadCacheSize/],
    ['releaseCheck', 'plain', /handle.releaseCheck must be 'atomic'/],
  ])('a handle with another %s is refused, naming the field', (field, value, message) => {
    const pool = make(64, 8);
    expect(() => SharedBufferPool.attach({ ...pool.handle, [field]: value })).toThrow(message);
    expect(pool.stats().threads).toBe(1); // nothing attached
  });

  it('refuses unknown keys, a wrong kind and malformed fields', () => {
    const pool = make(64, 8);
    expect(() => SharedBufferPool.attach({ ...pool.handle, extra: 1 } as never)).toThrow(/not a known option/);
    expect(() => SharedBufferPool.attach({ ...pool.handle, kind: 'x' } as never)).toThrow(/handle.kind must be/);
    expect(() => SharedBufferPool.attach({ ...pool.handle, blocks: ' 2' } as never)).toThrow(TypeError);
    expect(() => SharedBufferPool.attach({ ...pool.handle, blockSize: 2 ** 60 })).toThrow(RangeError);
    const again = SharedBufferPool.attach({ ...pool.handle });
    expect(again.blockSize).toBe(64);
    again.close();
  });
});
