/**
 * The harness's named limits and defaults, in one place. The option resolver
 * (lib/harness/options.ts) validates against LIMITS and fills DEFAULTS; the
 * CLI (lib/cli/*) shows both in its help and delegates its checks to the
 * resolver; the JSDoc `@default` of every option states the DEFAULTS value
 * (test/limits.test.ts holds them to it). The addon keeps its own checks at
 * the native boundary (it trusts no caller), not this module's.
 *
 * This module imports nothing: every layer may import it.
 */

/** An inclusive integer range. */
export interface IntegerRange {
  readonly min: number;
  readonly max: number;
}

/** Accepted ranges of the integer options, by option name (sizes in bytes, times in ms). */
export const LIMITS = {
  /** Worker threads: the machine may have fewer cores; oversubscription is allowed on purpose. */
  threads: { min: 1, max: 64 },
  objectSize: { min: 8, max: 1 << 20 },
  batch: { min: 1, max: 4096 },
  clearEvery: { min: 1, max: 2 ** 40 },
  ops: { min: 1, max: 2 ** 50 },
  durationMs: { min: 1, max: 3_600_000 },
  sampleMs: { min: 1, max: 60_000 },
  repeat: { min: 1, max: 10_000 },
  warmup: { min: 0, max: 100 },
  /** A setTimeout delay: at most 2^31 − 1 ms. */
  timeLimitMs: { min: 1, max: 2 ** 31 - 1 },
  /** `poolscope peers` / runPeers: samples per benchmark. */
  peerRepeats: { min: 1, max: 1000 },
  /** `bench --processes`: processes one run's samples are split across (compare treats each as a run). */
  processes: { min: 1, max: 16 },
  /** Seed of the placement draws (lib/harness/placement.ts): an unsigned 32-bit integer. */
  seed: { min: 0, max: 2 ** 32 - 1 },
} as const satisfies Record<string, IntegerRange>;

/** The name of an integer option with a limit. */
export type LimitName = keyof typeof LIMITS;

/** Defaults of the options (what an unset option means). */
export const DEFAULTS = {
  /** Pool of every scenario but `alloc`. */
  pool: 'sync',
  /** Allocator of the `alloc` scenario. */
  allocPool: 'malloc',
  layout: 'pad128',
  publish: 'xadd',
  /** Threads of every scenario but `producer-consumer`. */
  threads: 1,
  /** Threads of `producer-consumer` (one producer/consumer pair). */
  pairThreads: 2,
  objectSize: 64,
  /** Objects held at once, every scenario but `batch`. */
  batch: 1,
  /** Objects held at once by the `batch` scenario. */
  batchScenarioBatch: 16,
  clearEvery: 1024,
  victim: true,
  sampleMs: 10,
  repeat: 5,
  warmup: 1,
  /** runStress / runSuite / `poolscope run`. */
  timeLimitMs: 600_000,
  /** `poolscope bench`: a whole suite. */
  benchTimeLimitMs: 1_800_000,
  pinThreads: true,
  /** Placement-randomized samples (lib/harness/placement.ts). */
  randomize: true,
  /** `poolscope peers` / runPeers. */
  peerRepeats: 5,
  /** `poolscope peers` / runPeers, ms. */
  peerSampleMs: 20,
} as const;

/** `from 1 to 64`: the accepted range in words, as messages and help texts say it. */
export function rangeText(name: LimitName): string {
  const { min, max } = LIMITS[name];
  return `from ${min} to ${max}`;
}
