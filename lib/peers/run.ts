/**
 * Runs every peer this machine has, for one results document: the allocator
 * peers and glibc (`alloc` scenario) and poolscope's own pool as the
 * reference, both through the harness (runSuite, round-robin), Go's
 * sync.Pool (`go test`), and Node's own allocation and JS pools (timed on the
 * main thread between the harness's rounds). What is missing is reported,
 * not hidden: {@link PeersRun.status} says for each peer whether it ran and
 * if not why.
 */
import { runSuite } from '../harness/run-suite.js';
import { DEFAULTS, LIMITS } from '../limits.js';
import { ALLOCATOR_KINDS, type AllocatorKind } from '../pool.js';
import type { BenchmarkResult } from '../results/schema.js';
import { summarize } from '../stats.js';
import { expectInteger, expectObject, expectOneOf, rejectUnknownKeys } from '../validate.js';
import { type PeerStatus, probeAllocatorPeers } from './allocators.js';
import { findGo, runGoBenchmarks } from './go-run.js';
import { runNodeAllocation } from './node-alloc.js';
import { peersRunSpecs } from './suite-specs.js';

/** Options of {@link runPeers}. */
export interface PeersOptions {
  /** Samples per benchmark, from 1 to 1000 (LIMITS.peerRepeats). @default 5 (DEFAULTS.peerRepeats) */
  repeats?: number;
  /** Target time of one native or Node sample, ms, from 1 to 60000 (LIMITS.sampleMs); Go's `-benchtime` is 10× this. @default 20 (DEFAULTS.peerSampleMs) */
  sampleMs?: number;
  /** Object sizes, bytes, 8 to 1048576. @default [64, 4096, 65536] */
  objectSizes?: number[];
  /** Run Go's sync.Pool where Go is installed. @default true */
  go?: boolean;
  /** Run Node's allocation and JS pools. @default true */
  node?: boolean;
  /** Run the allocator peers and glibc. @default true */
  allocators?: boolean;
  /** Which allocators (a `bench` run measures glibc's `malloc` itself). @default all that load, and `malloc` */
  allocatorPools?: AllocatorKind[];
  /** K of the batch pattern, everywhere (allocators, Go, Node, reference). @default 32 */
  batch?: number;
  /** M of gc-churn (Go and the reference). @default 4096 */
  clearEvery?: number;
  /** Run poolscope's own pool as the reference (off when merging into a `bench` document that has it). @default true */
  reference?: boolean;
  /**
   * Called before each part starts, for progress output: `harness` (poolscope's reference and the
   * allocators: warm-up, then `repeats` round-robin rounds), `node` once per round, `go` once.
   */
  onPart?: (part: 'harness' | 'node' | 'go', repeat: number) => void;
}

/** Every peer and whether it could run here. */
export interface PeersStatus {
  allocators: PeerStatus[];
  go:
    | { state: 'installed'; version: string }
    | { state: 'not-installed'; reason: string }
    /** Go is there but `go test` failed (e.g. a Go too old for the benchmarks): the run goes on without it. */
    | { state: 'failed'; reason: string }
    | { state: 'skipped' };
}

/** What {@link runPeers} measured, and which peers could run. */
export interface PeersRun {
  benchmarks: BenchmarkResult[];
  status: PeersStatus;
}

const KNOWN = [
  'repeats',
  'sampleMs',
  'objectSizes',
  'go',
  'node',
  'allocators',
  'allocatorPools',
  'batch',
  'clearEvery',
  'reference',
  'onPart',
];

/**
 * Which peers can run here (allocators load; Go found), without running anything.
 *
 * @example
 * ```ts
 * import { probePeers } from 'poolscope';
 *
 * const status = await probePeers();
 * console.log(status.go.state, status.allocators.map((a) => `${a.name}: ${a.state}`).join(', '));
 * ```
 */
export async function probePeers(): Promise<PeersStatus> {
  const go = await findGo();
  return {
    allocators: probeAllocatorPeers(),
    go: go.state === 'installed' ? { state: 'installed', version: go.version } : go,
  };
}

/** One line per peer: name, state, and the version, path or reason (for `probe` and `peers --probe`). */
export function formatPeersStatus(status: PeersStatus): string {
  const lines = status.allocators.map((a) => `${a.name.padEnd(9)} ${a.state.padEnd(13)} ${a.reason ?? a.path}`);
  const go = status.go;
  const goText = go.state === 'installed' ? go.version : go.state === 'skipped' ? '' : go.reason.split('\n')[0];
  lines.push(`${'go-sync'.padEnd(9)} ${go.state.padEnd(13)} ${goText}`);
  return `${lines.join('\n')}\n`;
}

/**
 * One `skipped:` line per optional peer that did not run, saying how to enable it (what `bench`
 * prints on a machine without them); empty when every peer ran.
 */
export function skippedPeerLines(status: PeersStatus): string[] {
  const lines = status.allocators
    .filter((a) => a.state !== 'loaded')
    .map((a) => `skipped: ${a.name} ${a.state}; apt-get install ${a.debianPackage} to enable`);
  if (status.go.state === 'not-installed')
    lines.push("skipped: Go's sync.Pool (no go toolchain); apt-get install golang-go to enable");
  return lines;
}

/**
 * Runs the peers and returns their BenchmarkResults, for the caller to put in its results document.
 *
 * @example
 * ```ts
 * import { runPeers } from 'poolscope';
 *
 * const run = await runPeers({ go: false, repeats: 3, objectSizes: [64, 4096] });
 * for (const b of run.benchmarks) console.log(b.name, b.summary.nsPerOp.median.toFixed(1), 'ns/op');
 * ```
 */
export async function runPeers(options: PeersOptions = {}): Promise<PeersRun> {
  const o = expectObject('options', options, true);
  rejectUnknownKeys('options', o, KNOWN);
  const repeats = expectInteger(
    'options.repeats',
    options.repeats ?? DEFAULTS.peerRepeats,
    LIMITS.peerRepeats.min,
    LIMITS.peerRepeats.max,
  );
  const sampleMs = expectInteger(
    'options.sampleMs',
    options.sampleMs ?? DEFAULTS.peerSampleMs,
    LIMITS.sampleMs.min,
    LIMITS.sampleMs.max,
  );
  const objectSizes = options.objectSizes ?? [64, 4096, 65536];
  for (const [i, s] of objectSizes.entries()) {
    expectInteger(`options.objectSizes[${i}]`, s, LIMITS.objectSize.min, LIMITS.objectSize.max);
  }
  const batch = expectInteger('options.batch', options.batch ?? 32, 2, 4096);
  const clearEvery = expectInteger('options.clearEvery', options.clearEvery ?? 4096, 1, 1e9);
  const allocatorPools = options.allocatorPools ?? [...ALLOCATOR_KINDS];
  for (const [i, p] of allocatorPools.entries()) expectOneOf(`options.allocatorPools[${i}]`, p, ALLOCATOR_KINDS);
  // The harness takes one sample of each native benchmark per round, round
  // after round, and Node's loops run once between two rounds, so a burst of
  // load on a shared machine hits every part alike.
  const nodeRounds: BenchmarkResult[][] = [];
  const nodeRound = (r: number) => {
    if (options.node === false) return;
    options.onPart?.('node', r);
    nodeRounds.push(runNodeAllocation({ repeats: 1, sampleMs, objectSizes, batches: [1, batch] }));
  };
  const specs = peersRunSpecs({
    objectSizes,
    batch,
    clearEvery,
    reference: options.reference !== false,
    allocatorPools: options.allocators === false ? [] : allocatorPools,
  });
  const benchmarks: BenchmarkResult[] = [];
  if (specs.length > 0) {
    options.onPart?.('harness', 0);
    // No counters: the peers table compares times, and the peers outside the harness have none.
    const doc = await runSuite(specs, {
      suite: 'peers',
      roundRobin: true,
      repeat: repeats,
      sampleMs,
      events: [],
      onRound: (r) => nodeRound(r),
    });
    benchmarks.push(...doc.benchmarks);
  } else {
    for (let r = 0; r < repeats; r++) nodeRound(r);
  }
  benchmarks.push(...mergeSamples(nodeRounds.flat()));
  let go: PeersStatus['go'] = { state: 'skipped' };
  if (options.go !== false) {
    options.onPart?.('go', 0);
    try {
      const r = await runGoBenchmarks({ count: repeats, benchTimeMs: sampleMs * 10, batch, clearEvery });
      if (r.state === 'ran') {
        go = { state: 'installed', version: r.version };
        benchmarks.push(...r.results.filter((b) => objectSizes.includes(b.params.objectSize)));
      } else {
        go = r;
      }
    } catch (err) {
      // One peer that fails must not lose the others (nor a bench run's results): say why, go on.
      go = { state: 'failed', reason: err instanceof Error ? err.message : String(err) };
    }
  }
  return { benchmarks, status: { allocators: probeAllocatorPeers(), go } };
}

/** One result per name: the samples of every round, summarised again. */
function mergeSamples(results: readonly BenchmarkResult[]): BenchmarkResult[] {
  const byName = new Map<string, BenchmarkResult>();
  for (const b of results) {
    const cur = byName.get(b.name);
    if (cur) cur.samples.push(...b.samples);
    else byName.set(b.name, { ...b, samples: [...b.samples] });
  }
  return [...byName.values()].map((b) => ({ ...b, summary: { nsPerOp: summarize(b.samples.map((s) => s.nsPerOp)) } }));
}
