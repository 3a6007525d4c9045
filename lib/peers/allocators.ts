/**
 * The allocator peers — Debian's mimalloc, jemalloc and tcmalloc, dlopen'ed
 * RTLD_LOCAL by the addon (native/core/peer_allocator.hpp) without replacing
 * the process's malloc — and glibc's malloc: which load here, evidence that
 * each serves its own blocks, and the `alloc` scenario measured on each (one
 * allocate + one free per operation, K held for the batch pattern), with
 * the timed loop in native code.
 *
 * jemalloc needs initial-exec TLS that glibc only grants a library opened
 * after start when the process started with
 * `GLIBC_TUNABLES=glibc.rtld.optional_static_tls=4096` (`npm run bench:peers`
 * sets it); otherwise it is reported `cannot-load` with that fix.
 */
import { nativeAddon } from '../binding.js';
import type { BenchmarkParams, BenchmarkResult, Sample } from '../results/schema.js';
import { summarize } from '../stats.js';

/** The allocator peers, by their `params.pool` names. */
export const ALLOCATOR_PEERS = ['mimalloc', 'jemalloc', 'tcmalloc'] as const;
/** One of {@link ALLOCATOR_PEERS}. */
export type AllocatorPeer = (typeof ALLOCATOR_PEERS)[number];
/** What the allocator runs measure: the peers and glibc's `malloc` for reference. */
export const ALLOCATOR_POOLS = ['malloc', ...ALLOCATOR_PEERS] as const;
export type AllocatorPool = (typeof ALLOCATOR_POOLS)[number];

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
  peersRunAlloc(options: { pool: string; objectSize: number; ops: number; batch: number }): {
    ops: number;
    elapsedNs: number;
  };
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

/** Options of {@link runAllocatorPeers}. */
export interface AllocatorRunOptions {
  /** @default all of ALLOCATOR_POOLS that load */
  pools?: readonly AllocatorPool[];
  /** @default [64, 4096, 65536] */
  objectSizes?: readonly number[];
  /** K values: 1 is allocate+free, K > 1 holds K. @default [1, 32] */
  batches?: readonly number[];
  /** Samples per benchmark, taken round-robin across benchmarks. @default 5 */
  repeats?: number;
  /** Target time of one sample, ms (operations are calibrated to it). @default 20 */
  sampleMs?: number;
}

interface Spec {
  pool: AllocatorPool;
  objectSize: number;
  batch: number;
  ops: number;
  samples: Sample[];
}

/** The results document's name for one allocator run (lib/harness/naming.ts conventions). */
export function allocName(pool: string, objectSize: number, batch: number): string {
  const parts = ['Alloc', `pool=${pool}`, `batch=${batch}`];
  if (objectSize !== 64) parts.push(`objectSize=${objectSize}`);
  return parts.join('/');
}

/**
 * Measures the `alloc` scenario on glibc and every peer that loads, at each
 * size and K, one thread. Peers that do not load are skipped (see
 * {@link probeAllocatorPeers} for why).
 */
export function runAllocatorPeers(options: AllocatorRunOptions = {}): BenchmarkResult[] {
  const loaded = new Set(probeAllocatorPeers().flatMap((p) => (p.state === 'loaded' ? [p.name] : [])));
  const pools = (options.pools ?? ALLOCATOR_POOLS).filter((p) => p === 'malloc' || loaded.has(p));
  const sizes = options.objectSizes ?? [64, 4096, 65536];
  const batches = options.batches ?? [1, 32];
  const repeats = options.repeats ?? 5;
  const sampleNs = (options.sampleMs ?? 20) * 1e6;
  const a = addon();
  const specs: Spec[] = [];
  for (const pool of pools) {
    for (const objectSize of sizes) {
      for (const batch of batches) {
        // Warm the allocator's caches for this size, then size the sample to sampleMs.
        const warm = a.peersRunAlloc({ pool, objectSize, ops: 20_000, batch });
        const nsPerOp = Math.max(warm.elapsedNs / warm.ops, 0.1);
        const ops = Math.max(batch, Math.min(1e9, Math.round(sampleNs / nsPerOp)));
        specs.push({ pool, objectSize, batch, ops, samples: [] });
      }
    }
  }
  for (let r = 0; r < repeats; r++) {
    for (const s of specs) {
      const { ops, elapsedNs } = a.peersRunAlloc({
        pool: s.pool,
        objectSize: s.objectSize,
        ops: s.ops,
        batch: s.batch,
      });
      s.samples.push({ ops, elapsedNs, nsPerOp: elapsedNs / ops, counters: {} });
    }
  }
  return specs.map((s) => {
    const params: BenchmarkParams = {
      scenario: 'alloc',
      pool: s.pool,
      threads: 1,
      objectSize: s.objectSize,
      batch: s.batch,
    };
    return {
      name: allocName(s.pool, s.objectSize, s.batch),
      params,
      samples: s.samples,
      summary: { nsPerOp: summarize(s.samples.map((x) => x.nsPerOp)) },
      source: 'poolscope peers',
    };
  });
}
