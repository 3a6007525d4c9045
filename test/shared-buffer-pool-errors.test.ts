import { describe, expect, it } from 'vitest';
import { SharedBufferPool } from '../lib/shared-buffer-pool.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe.each(['atomic', 'plain'] as const)('SharedBufferPool misuse (releaseCheck %s)', (releaseCheck) => {
  it('releasing twice throws ERR_BLOCK_NOT_HELD at once', () => {
    const pool = new SharedBufferPool({ blockSize: 64, blocks: 4, releaseCheck });
    const a = pool.acquire();
    pool.release(a);
    expect(() => pool.release(a)).toThrow(code('ERR_BLOCK_NOT_HELD'));
    // the pool is intact: four distinct blocks still come out
    const all = [pool.acquire(), pool.acquire(), pool.acquire(), pool.acquire()];
    expect(new Set(all).size).toBe(4);
    expect(pool.tryAcquire()).toBeUndefined();
    pool.close();
  });

  it('refuses buffers that are not its block views', () => {
    const pool = new SharedBufferPool({ blockSize: 64, blocks: 4, releaseCheck });
    const other = new SharedBufferPool({ blockSize: 64, blocks: 4, releaseCheck });
    const a = pool.acquire();
    expect(() => pool.release(Buffer.alloc(64))).toThrow(code('ERR_FOREIGN_BUFFER'));
    expect(() => pool.release(a.subarray(0, 64))).toThrow(code('ERR_FOREIGN_BUFFER'));
    expect(() => pool.release(other.acquire())).toThrow(code('ERR_FOREIGN_BUFFER'));
    expect(() => pool.release(undefined as never)).toThrow(TypeError);
    expect(() => pool.release({} as never)).toThrow(TypeError);
    expect(() => pool.indexOf(Buffer.alloc(64))).toThrow(code('ERR_FOREIGN_BUFFER'));
    pool.release(a);
    pool.close();
    other.close();
  });

  it('fromIndex refuses a block that is not held, and bad indices', () => {
    const pool = new SharedBufferPool({ blockSize: 64, blocks: 4, releaseCheck });
    const a = pool.acquire();
    const i = pool.indexOf(a);
    pool.release(a);
    expect(() => pool.fromIndex(i)).toThrow(code('ERR_BLOCK_NOT_HELD'));
    expect(() => pool.indexOf(a)).toThrow(code('ERR_BLOCK_NOT_HELD'));
    expect(() => pool.fromIndex(4)).toThrow(/index must be an integer from 0 to 3 \(received 4\)/);
    expect(() => pool.fromIndex(-1)).toThrow(RangeError);
    expect(() => pool.fromIndex('1' as never)).toThrow(TypeError);
    pool.close();
  });

  it('a closed pool refuses everything with ERR_POOL_CLOSED, and its buffers become empty', () => {
    const pool = new SharedBufferPool({ blockSize: 64, blocks: 4, releaseCheck });
    const a = pool.acquire();
    const { handle } = pool;
    pool.close();
    pool.close(); // idempotent
    expect(pool.closed).toBe(true);
    expect(a.length).toBe(0); // detached, never dangling
    expect(() => pool.acquire()).toThrow(code('ERR_POOL_CLOSED'));
    expect(() => pool.tryAcquire()).toThrow(code('ERR_POOL_CLOSED'));
    expect(() => pool.release(a)).toThrow(code('ERR_POOL_CLOSED'));
    expect(() => pool.fromIndex(0)).toThrow(code('ERR_POOL_CLOSED'));
    expect(() => pool.stats()).toThrow(code('ERR_POOL_CLOSED'));
    // nobody has it any more: attaching fails
    expect(() => SharedBufferPool.attach(handle)).toThrow(code('ERR_POOL_CLOSED'));
  });
});
