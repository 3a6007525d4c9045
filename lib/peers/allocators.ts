/**
 * The allocator peers — Debian's mimalloc, jemalloc and tcmalloc, dlopen'ed
 * RTLD_LOCAL by the addon (native/core/peer_allocator.hpp) without replacing
 * the process's malloc — and glibc's malloc: which load here, and evidence
 * that each serves its own blocks. They are measured by the harness's `alloc`
 * scenario (lib/peers/suite-specs.ts, native/core/scenarios/alloc.hpp).
 *
 * jemalloc needs initial-exec TLS that glibc only grants a library opened
 * after start when the process started with
 * `GLIBC_TUNABLES=glibc.rtld.optional_static_tls=4096` (`npm run bench:peers`
 * sets it); otherwise it is reported `cannot-load` with that fix.
 */
import { nativeAddon } from '../binding.js';
import type { AllocatorPeer } from '../pool.js';

/** The environment setting that lets jemalloc load after start (see the file comment). */
export const STATIC_TLS_TUNABLE = 'glibc.rtld.optional_static_tls=4096';

/** Whether one peer is usable here, and if not why and what to install. */
export interface PeerStatus {
  name: string;
  state: 'loaded' | 'not-installed' | 'cannot-load';
  /** What was opened: the soname, or a path. */
  path: string;
  /** The Debian package that provides it. */
  debianPackage: string;
  /** Why it is not loaded, and what to do. Absent when loaded. */
  reason?: string;
}

/** Evidence that blocks from a peer are the peer's, not glibc's (see native/core/peer_allocator_check.hpp). */
export interface ServedCheck {
  /** False when the peer is not loaded. */
  ran: boolean;
  blocks: number;
  /** Smallest usable size the peer's own usable-size function reported. */
  minUsable: number;
  /** Every block's usable size (by the peer) is at least the size asked for. */
  usableOk: boolean;
  /** The peer's own ownership evidence says every block is its own. */
  ownedByPeer: boolean;
  /** The peer says a block from glibc's malloc is not its own (true where it cannot be asked safely). */
  glibcBlockNotOwned: boolean;
  /** Growth of glibc's main-arena usage while the peer allocated the blocks, bytes. */
  glibcArenaDelta: number;
  /** Which ownership evidence was used. */
  how: string;
}

interface PeersAddon {
  peersProbe(): PeerStatus[];
  peersOpenPath(peer: string, path: string): PeerStatus;
  peersCheckServed(peer: string, objectSize: number, blocks: number): ServedCheck;
}

const addon = (): PeersAddon => nativeAddon<PeersAddon>();

/**
 * Each allocator peer: loaded, or not installed (with the Debian package), or cannot load (with the reason).
 *
 * @example
 * ```ts
 * import { probeAllocatorPeers } from 'poolscope';
 *
 * for (const p of probeAllocatorPeers()) console.log(p.name, p.state, p.reason ?? p.path);
 * ```
 */
export function probeAllocatorPeers(): PeerStatus[] {
  return addon().peersProbe();
}

/** Loads a peer from an explicit path, not cached (for checking what a missing library reports). */
export function openAllocatorPeerAt(peer: AllocatorPeer, path: string): PeerStatus {
  return addon().peersOpenPath(peer, path);
}

/**
 * Allocates `blocks` blocks through `peer` and checks they are the peer's (see {@link ServedCheck}).
 *
 * @example
 * ```ts
 * import { checkServedByPeer, probeAllocatorPeers } from 'poolscope';
 *
 * if (probeAllocatorPeers().some((p) => p.name === 'tcmalloc' && p.state === 'loaded')) {
 *   const c = checkServedByPeer('tcmalloc', 4096);
 *   console.log(c.ownedByPeer, c.how, c.glibcArenaDelta);
 * }
 * ```
 */
export function checkServedByPeer(peer: AllocatorPeer, objectSize: number, blocks = 256): ServedCheck {
  return addon().peersCheckServed(peer, objectSize, blocks);
}
