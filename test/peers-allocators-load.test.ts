/**
 * Each allocator peer loads RTLD_LOCAL where its Debian package is installed,
 * or says why not (not installed: which package; cannot load: the reason and
 * the fix). jemalloc needs GLIBC_TUNABLES static TLS set at process start, so
 * it is checked in a child process started with it. A peer that is missing
 * prints one skip line (test/fixtures/optional-peers.ts), or fails the file
 * under POOLSCOPE_REQUIRE_PEERS=1.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openAllocatorPeerAt, probeAllocatorPeers, STATIC_TLS_TUNABLE } from '../lib/peers/allocators.js';
import { ALLOCATOR_PEERS } from '../lib/pool.js';
import { probePeersInChild as probeInChild, usableAllocatorPeers } from './fixtures/optional-peers.js';

const LIBDIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib', '/lib'];
const SONAME: Record<string, string> = {
  mimalloc: 'libmimalloc.so.2',
  jemalloc: 'libjemalloc.so.2',
  tcmalloc: 'libtcmalloc_minimal.so.4',
};
const installed = (peer: string) => LIBDIRS.some((d) => existsSync(`${d}/${SONAME[peer]}`));

usableAllocatorPeers(); // one skip line per missing peer; throws under POOLSCOPE_REQUIRE_PEERS=1

describe('allocator peers load or say why not', () => {
  it('lists every peer with a state, the Debian package, and a reason unless loaded', () => {
    const status = probeAllocatorPeers();
    expect(status.map((s) => s.name)).toEqual([...ALLOCATOR_PEERS]);
    for (const s of status) {
      expect(['loaded', 'not-installed', 'cannot-load']).toContain(s.state);
      if (s.state === 'loaded') expect(s.reason).toBeUndefined();
      else expect(s.reason).toMatch(/\S/);
      if (s.state === 'not-installed') expect(s.reason).toContain(s.debianPackage);
    }
  });

  it('with the static-TLS tunable, every installed peer loads', () => {
    const status = probeInChild(STATIC_TLS_TUNABLE);
    for (const s of status) {
      if (installed(s.name))
        expect({ name: s.name, state: s.state, reason: s.reason }).toEqual({
          name: s.name,
          state: 'loaded',
          reason: undefined,
        });
      else expect(s.state).toBe('not-installed');
    }
  });

  it('without the tunable, jemalloc either loads or says which GLIBC_TUNABLES setting it needs; the others load', () => {
    const status = probeInChild(undefined);
    const je = status.find((s) => s.name === 'jemalloc');
    if (je && installed('jemalloc') && je.state !== 'loaded') {
      expect(je.state).toBe('cannot-load');
      expect(je.reason).toContain('static TLS');
      expect(je.reason).toContain(`GLIBC_TUNABLES=${STATIC_TLS_TUNABLE}`);
    }
    for (const s of status) if (s.name !== 'jemalloc' && installed(s.name)) expect(s.state).toBe('loaded');
  });

  it('a missing library path is reported not installed, naming the package to install', () => {
    const packages = { mimalloc: 'libmimalloc2.0', jemalloc: 'libjemalloc2', tcmalloc: 'libtcmalloc-minimal4' };
    for (const peer of ALLOCATOR_PEERS) {
      const s = openAllocatorPeerAt(peer, '/nonexistent/poolscope/libmissing.so.1');
      expect(s.state).toBe('not-installed');
      expect(s.debianPackage).toBe(packages[peer]);
      expect(s.reason).toContain(`apt-get install ${packages[peer]}`);
    }
  });

  it('rejects an unknown peer name, naming the accepted ones', () => {
    expect(() => openAllocatorPeerAt('hoard' as never, '/x')).toThrow(RangeError);
    expect(() => openAllocatorPeerAt('hoard' as never, '/x')).toThrow(/'mimalloc', 'jemalloc', 'tcmalloc'/);
  });
});
