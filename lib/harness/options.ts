/**
 * Options of one stress benchmark, validated once here and resolved into a
 * type whose defaults are filled. Sizes are bytes, times milliseconds unless
 * the name says otherwise.
 */
import { DEFAULTS, LIMITS, type LimitName } from '../limits.js';
import { ALLOCATOR_KINDS, POOL_KINDS, POOL_LAYOUTS, POOL_PUBLISH, type PoolLayout, type PoolPublish } from '../pool.js';
import {
  describeValue,
  expectBoolean,
  expectInteger,
  expectObject,
  expectOneOf,
  rejectUnknownKeys,
} from '../validate.js';
import { SCENARIO_INFO, SCENARIOS, type ScenarioName } from './scenarios.js';

/** Every worker thread the harness can start (LIMITS.threads.max). */
export const MAX_THREADS = LIMITS.threads.max;
/** Counter reads cost ~1 µs and enable+disable ~4 µs: below ~360k pool ops a sample's counter overhead passes 1%. */
export const MIN_AUTO_OPS = 360_000;

/**
 * How a resolver names an option in its messages: a prefix (`specs[0]` gives
 * `specs[0].threads`) or a function (the CLI gives `--threads`).
 */
export type FieldNames = string | ((key: string) => string);

function nameOf(field: FieldNames, key: string): string {
  return typeof field === 'string' ? `${field}.${key}` : field(key);
}

/** One benchmark: the scenario and the parameters it runs with (unset ones take their defaults). */
export interface BenchmarkSpec {
  /** The experiment (see SCENARIO_INFO). */
  scenario: ScenarioName;
  /** Pool. @default 'sync' (DEFAULTS.pool); for `alloc`, 'malloc' (DEFAULTS.allocPool) */
  pool?: string;
  /** Per-thread record layout (sync pool). @default 'pad128' (DEFAULTS.layout) */
  layout?: PoolLayout;
  /** Head publication instruction (sync pool). @default 'xadd' (DEFAULTS.publish) */
  publish?: PoolPublish;
  /** Worker threads, from 1 to 64 (LIMITS.threads). @default 1 (DEFAULTS.threads); for `producer-consumer`, 2 (DEFAULTS.pairThreads) */
  threads?: number;
  /** Object (block) size in bytes, from 8 to 1048576 (LIMITS.objectSize). @default 64 (DEFAULTS.objectSize) */
  objectSize?: number;
  /** Objects held at once (`batch`, `gc-churn`, `alloc`), from 1 to 4096 (LIMITS.batch). @default 1 (DEFAULTS.batch); for `batch`, 16 (DEFAULTS.batchScenarioBatch) */
  batch?: number;
  /** `gc-churn`: operations between two clear() calls, from 1 to 1099511627776 (LIMITS.clearEvery). @default 1024 (DEFAULTS.clearEvery) */
  clearEvery?: number;
  /** `gc-churn`: keep the victim cache across clear(). @default true (DEFAULTS.victim) */
  victim?: boolean;
}

/** How long each sample is and how many there are. */
export interface SampleBounds {
  /** Operations per worker per sample, from 1 to 1125899906842624 (LIMITS.ops). Default: calibrated by the warm-up to last about `sampleMs`. */
  ops?: number;
  /** Wall time per sample, ms (instead of a fixed op count), from 1 to 3600000 (LIMITS.durationMs). */
  durationMs?: number;
  /** Target length of a calibrated sample, ms, from 1 to 60000 (LIMITS.sampleMs). @default 10 (DEFAULTS.sampleMs) */
  sampleMs?: number;
  /** Timed repetitions, from 1 to 10000 (LIMITS.repeat). @default 5 (DEFAULTS.repeat) */
  repeat?: number;
  /** Untimed warm-up samples before the repetitions (the first also calibrates ops), from 0 to 100 (LIMITS.warmup). @default 1 (DEFAULTS.warmup) */
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

/** `value` as an integer within LIMITS[key], named as `field` names `key`. */
export function limitedInteger(field: FieldNames, key: LimitName, value: unknown): number {
  return expectInteger(nameOf(field, key), value, LIMITS[key].min, LIMITS[key].max);
}

/**
 * Throws for an option given as `null`: an unset option is left out (or
 * `undefined`); `null` is not taken to mean "the default".
 */
export function rejectNullOptions(field: FieldNames, o: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(o)) {
    if (value === null) {
      throw new TypeError(
        `${nameOf(field, key)} must be left out (or undefined) for its default, or given a value (received ${describeValue(value)})`,
      );
    }
  }
}

/** The pool, one of those the scenario runs (the message names the scenario when the pool exists but not for it). */
function resolvePool(field: FieldNames, scenario: ScenarioName, value: unknown): string {
  const accepted = poolsFor(scenario);
  if (typeof value === 'string' && !accepted.includes(value)) {
    throw new RangeError(
      `${nameOf(field, 'pool')} must be one of ${accepted.map((p) => `'${p}'`).join(', ')} for ${scenario} (received ${describeValue(value)})`,
    );
  }
  return expectOneOf(nameOf(field, 'pool'), value, accepted);
}

export function resolveSpec(field: FieldNames, value: unknown): ResolvedSpec {
  const o = expectObject(typeof field === 'string' ? field : 'spec', value);
  rejectNullOptions(field, o);
  const scenario = expectOneOf(nameOf(field, 'scenario'), o.scenario, SCENARIOS);
  const info = SCENARIO_INFO[scenario];
  const pool = resolvePool(field, scenario, o.pool ?? (info.usesPool ? DEFAULTS.pool : DEFAULTS.allocPool));
  const layout = expectOneOf(nameOf(field, 'layout'), o.layout ?? DEFAULTS.layout, POOL_LAYOUTS);
  const publish = expectOneOf(nameOf(field, 'publish'), o.publish ?? DEFAULTS.publish, POOL_PUBLISH);
  const threads = limitedInteger(
    field,
    'threads',
    o.threads ?? (info.threads === 'even' ? DEFAULTS.pairThreads : DEFAULTS.threads),
  );
  if (info.threads === 'even' && threads % 2 !== 0) {
    throw new RangeError(
      `${nameOf(field, 'threads')} must be an even number from 2 to ${MAX_THREADS} for ${scenario} (producer/consumer pairs) (received ${threads})`,
    );
  }
  const objectSize = limitedInteger(field, 'objectSize', o.objectSize ?? DEFAULTS.objectSize);
  const batch = limitedInteger(
    field,
    'batch',
    o.batch ?? (scenario === 'batch' ? DEFAULTS.batchScenarioBatch : DEFAULTS.batch),
  );
  const clearEvery = limitedInteger(field, 'clearEvery', o.clearEvery ?? DEFAULTS.clearEvery);
  const victim = o.victim === undefined ? DEFAULTS.victim : expectBoolean(nameOf(field, 'victim'), o.victim);
  return { scenario, pool, layout, publish, threads, objectSize, batch, clearEvery, victim };
}

export function resolveBounds(field: FieldNames, o: Record<string, unknown>): ResolvedBounds {
  const ops = o.ops === undefined ? undefined : limitedInteger(field, 'ops', o.ops);
  const durationMs = o.durationMs === undefined ? undefined : limitedInteger(field, 'durationMs', o.durationMs);
  if (ops !== undefined && durationMs !== undefined) {
    throw new TypeError(
      `${nameOf(field, 'ops')} and ${nameOf(field, 'durationMs')} are exclusive: give one (received both)`,
    );
  }
  const sampleMs = limitedInteger(field, 'sampleMs', o.sampleMs ?? DEFAULTS.sampleMs);
  const repeat = limitedInteger(field, 'repeat', o.repeat ?? DEFAULTS.repeat);
  const warmup = limitedInteger(field, 'warmup', o.warmup ?? DEFAULTS.warmup);
  return { ops, durationMs, sampleMs, repeat, warmup };
}

export function checkSpecKeys(field: string, o: Record<string, unknown>, extra: readonly string[]): void {
  rejectUnknownKeys(field, o, [...SPEC_KEYS, ...extra]);
}
