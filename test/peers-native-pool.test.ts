/**
 * The allocator peers as pool kinds of the core (`NativePool.create({ pool:
 * 'tcmalloc' })`: MallocPool over the peer): a peer that loads makes a pool
 * whose loop allocates on every get; one that does not load is refused with
 * its reason and code ERR_PEER_UNAVAILABLE, never a crash.
 */
import { describe, expect, it } from 'vitest';
import { fromNativeError, PeerUnavailableError, PoolError } from '../lib/errors.js';
import { probeAllocatorPeers } from '../lib/peers/allocators.js';
import { NativePool } from '../lib/pool.js';

describe('allocator peers as NativePool kinds', () => {
  for (const peer of probeAllocatorPeers()) {
    if (peer.state === 'loaded') {
      it(`${peer.name}: a pool that allocates through the peer on every get`, () => {
        const pool = NativePool.create({ pool: peer.name as 'tcmalloc', objectSize: 4096 });
        try {
          expect(pool.info.name).toBe(`pool=${peer.name}`);
          const r = pool.runLoop({ scenario: 'batch', ops: 3200, batch: 32 });
          expect(r.stats.fromNew).toBe(3200);
          expect(r.stats.puts).toBe(3200);
        } finally {
          pool.destroy();
        }
      });
    } else {
      it(`${peer.name}: refused with the reason (${peer.state})`, () => {
        let caught: unknown;
        try {
          NativePool.create({ pool: peer.name as 'jemalloc', objectSize: 64 });
        } catch (err) {
          caught = err;
        }
        expect(caught).toBeInstanceOf(PeerUnavailableError);
        expect((caught as PeerUnavailableError).code).toBe('ERR_PEER_UNAVAILABLE');
        expect((caught as Error).message).toContain(peer.reason ?? '');
      });
    }
  }
});

describe("fromNativeError: the addon's codes to typed errors", () => {
  const coded = (code: string) => Object.assign(new Error(`native ${code}`), { code });
  it('maps ERR_PEER_UNAVAILABLE to PeerUnavailableError and the registry codes to PoolError', () => {
    const peer = fromNativeError(coded('ERR_PEER_UNAVAILABLE'));
    expect(peer).toBeInstanceOf(PeerUnavailableError);
    expect((peer as PeerUnavailableError).message).toBe('native ERR_PEER_UNAVAILABLE');
    expect((peer as PeerUnavailableError).name).toBe('PeerUnavailableError');
    expect(fromNativeError(coded('ERR_POOL_DESTROYED'))).toBeInstanceOf(PoolError);
    expect(fromNativeError(coded('ERR_POOL_NOT_FOUND'))).toBeInstanceOf(PoolError);
  });
  it('returns other errors unchanged', () => {
    const plain = new RangeError('x');
    expect(fromNativeError(plain)).toBe(plain);
    const errno = coded('ENOMEM');
    expect(fromNativeError(errno)).toBe(errno);
  });
});
