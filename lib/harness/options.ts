/**
 * Options of one stress benchmark, validated once here and resolved into a
 * type whose defaults are filled. Sizes are bytes, times milliseconds unless
 * the name says otherwise.
 */

import { ALLOCATOR_KINDS, POOL_KINDS, POOL_LAYOUTS, POOL_PUBLISH, type PoolLayout, type PoolPublish } from '../pool.js';
import { expectBoolean, expectInteger, expectObject, expectOneOf, rejectUnknownKeys } from '../validate.js';
import { SCENARIO_INFO, SCENARIOS, type ScenarioName } from './scenarios.js';

/** Every worker thread the harness can start; this machine has 2 cores, but oversubscription is allowed on purpose. */
export const MAX_THREADS = 64;
/** Counter reads cost ~1 µs and enable+disable ~4 µs: below ~360k pool ops a sample's counter overhead passes 1%. */
export const MIN_AUTO_OPS = 360_000;

/** One benchmark: the scenario and the parameters it runs with (unset ones take their defaults). */
export interface BenchmarkSpec {
  /** The experiment (see SCENARIO_INFO). */
  scenario: ScenarioName;
  /** @default 'sync' ('malloc' for `alloc`) */
  pool?: string;
  /** @default 'pad128' */
  layout?: PoolLayout;
  /** @default 'xadd' */
  publish?: PoolPublish;
  /** Worker threads. @default 1 */
  threads?: number;
  /** Object (block) size in bytes. @default 64 */
  objectSize?: number;
  /** Objects held at once (`batch`, `gc-churn`, `alloc`). @default 16 for batch, 1 otherwise */
  batch?: number;
  /** `gc-churn`: operations between two clear() calls. @default 1024 */
  clearEvery?: number;
  /** `gc-churn`: keep the victim cache across clear(). @default true */
  victim?: boolean;
}

/** How long each sample is and how many there are. */
export interface SampleBounds {
  /** Operations per worker per sample. Default: calibrated by the warm-up to last about `sampleMs`. */
  ops?: number;
  /** Wall time per sample, ms (instead of a fixed op count). */
  durationMs?: number;
  /** Target length of a calibrated sample, ms. @default 10 */
  sampleMs?: number;
  /** Timed repetitions. @default 5 */
  repeat?: number;
  /** Untimed warm-up samples before the repetitions (the first also calibrates ops). @default 1 */
  warmup?: number;
}

/** How samples are placed in memory (docs/benchmarks.md, placement-randomized sampling). */
export interface PlacementOptions {
  /** Seed of the placement draws (an unsigned 32-bit integer); the same seed and suite reproduce every sample's placement. @default a random seed, recorded in `config.placement.seed` */
  seed?: number;
  /** Draw a fresh stack offset, data offset and code copy for every sample, with a new pool per sample; false runs every sample at offset 0, code copy 0, on one pool per benchmark. @default true */
  randomize?: boolean;
}

export const PLACEMENT_OPTION_KEYS: readonly string[] = ['seed', 'randomize'];

export interface ResolvedSpec {
  scenario: ScenarioName;
  pool: string;
  layout: PoolLayout;
  publish: PoolPublish;
  threads: number;
  objectSize: number;
  batch: number;
  clearEvery: number;
  victim: boolean;
}

export interface ResolvedBounds {
  ops: number | undefined;
  durationMs: number | undefined;
  sampleMs: number;
  repeat: number;
  warmup: number;
}

const SPEC_KEYS = [
  'scenario',
  'pool',
  'layout',
  'publish',
  'threads',
  'objectSize',
  'batch',
  'clearEvery',
  'victim',
] as const;
const BOUNDS_KEYS = ['ops', 'durationMs', 'sampleMs', 'repeat', 'warmup'] as const;
export const SPEC_OPTION_KEYS: readonly string[] = SPEC_KEYS;
export const BOUNDS_OPTION_KEYS: readonly string[] = BOUNDS_KEYS;

/** Pools per scenario: `alloc` runs the allocator directly; the others run a pool. */
export function poolsFor(scenario: ScenarioName): readonly string[] {
  if (scenario === 'false-sharing') return ['sync'];
  return SCENARIO_INFO[scenario].usesPool ? POOL_KINDS : ALLOCATOR_KINDS;
}

export function resolveSpec(field: string, value: unknown): ResolvedSpec {
  const o = expectObject(field, value);
  const scenario = expectOneOf(`${field}.scenario`, o.scenario, SCENARIOS);
  const info = SCENARIO_INFO[scenario];
  const pool = expectOneOf(`${field}.pool`, o.pool ?? (info.usesPool ? 'sync' : 'malloc'), poolsFor(scenario));
  const layout = expectOneOf(`${field}.layout`, o.layout ?? 'pad128', POOL_LAYOUTS);
  const publish = expectOneOf(`${field}.publish`, o.publish ?? 'xadd', POOL_PUBLISH);
  const threads = expectInteger(`${field}.threads`, o.threads ?? (info.threads === 'even' ? 2 : 1), 1, MAX_THREADS);
  if (info.threads === 'even' && threads % 2 !== 0) {
    throw new RangeError(
      `${field}.threads must be an even number from 2 to ${MAX_THREADS} for ${scenario} (producer/consumer pairs) (received ${threads})`,
    );
  }
  const objectSize = expectInteger(`${field}.objectSize`, o.objectSize ?? 64, 8, 1 << 20);
  const batch = expectInteger(`${field}.batch`, o.batch ?? (scenario === 'batch' ? 16 : 1), 1, 4096);
  const clearEvery = expectInteger(`${field}.clearEvery`, o.clearEvery ?? 1024, 1, 2 ** 40);
  const victim = o.victim === undefined ? true : expectBoolean(`${field}.victim`, o.victim);
  return { scenario, pool, layout, publish, threads, objectSize, batch, clearEvery, victim };
}

export function resolveBounds(field: string, o: Record<string, unknown>): ResolvedBounds {
  const ops = o.ops === undefined ? undefined : expectInteger(`${field}.ops`, o.ops, 1, 2 ** 50);
  const durationMs =
    o.durationMs === undefined ? undefined : expectInteger(`${field}.durationMs`, o.durationMs, 1, 3_600_000);
  if (ops !== undefined && durationMs !== undefined) {
    throw new TypeError(`${field}.ops and ${field}.durationMs are exclusive: give one (received both)`);
  }
  const sampleMs = expectInteger(`${field}.sampleMs`, o.sampleMs ?? 10, 1, 60_000);
  const repeat = expectInteger(`${field}.repeat`, o.repeat ?? 5, 1, 10_000);
  const warmup = expectInteger(`${field}.warmup`, o.warmup ?? 1, 0, 100);
  return { ops, durationMs, sampleMs, repeat, warmup };
}

export function checkSpecKeys(field: string, o: Record<string, unknown>, extra: readonly string[]): void {
  rejectUnknownKeys(field, o, [...SPEC_KEYS, ...extra]);
}
