/**
 * The stress scenarios: the experiments behind the pool's design. Each one
 * states what it shows (reports print `shows`), what one operation is, and
 * which parameters it varies (they go into the benchmark name). The timed
 * loops themselves are native (native/core/scenarios/).
 */

/**
 * The scenario names, as `params.scenario` spells them: the core's list (native/core/loop_spec.hpp
 * `kScenarioNames`, exported by the addon), spelled here for the types; test/names-agree.test.ts
 * checks they are the same.
 */
export const SCENARIOS = ['get-put', 'batch', 'producer-consumer', 'gc-churn', 'false-sharing', 'alloc'] as const;
/** One of {@link SCENARIOS}. */
export type ScenarioName = (typeof SCENARIOS)[number];

/** What a scenario is: its name, benchmark-name stem, the effect it shows, and its constraints. */
export interface ScenarioInfo {
  name: ScenarioName;
  /** The benchmark-name stem, e.g. `GetPut`. */
  camel: string;
  /** One sentence: the effect the scenario exists to show. */
  shows: string;
  /** What one operation is. */
  op: string;
  /** Parameters (besides threads) that go into the benchmark name, in order, when set. */
  nameKeys: readonly string[];
  /** Thread counts the scenario accepts (`even` = producer/consumer pairs). */
  threads: 'any' | 'even';
  /** True when the scenario runs on a pool made by the core (false: raw allocator calls). */
  usesPool: boolean;
}

/** Every scenario's {@link ScenarioInfo}, by name. */
export const SCENARIO_INFO: Readonly<Record<ScenarioName, ScenarioInfo>> = {
  'get-put': {
    name: 'get-put',
    camel: 'GetPut',
    shows: "The private-slot fast path: a get followed by a put stays in the calling thread's own slot, no atomics.",
    op: 'one get + one put',
    nameKeys: ['pool', 'layout', 'publish'],
    threads: 'any',
    usesPool: true,
  },
  batch: {
    name: 'batch',
    camel: 'Batch',
    shows:
      "Holding K objects overflows the private slot into the thread's shared deque: the cost of the publish instruction.",
    op: 'one get + one put (K gets, then K puts)',
    nameKeys: ['pool', 'layout', 'publish', 'batch'],
    threads: 'any',
    usesPool: true,
  },
  'producer-consumer': {
    name: 'producer-consumer',
    camel: 'ProducerConsumer',
    shows:
      "Get on one thread, put on another: every get must steal from the other thread's deque, and each object's cache lines cross cores.",
    op: "a producer's get or a consumer's put; ns/op is the wall time per object moved",
    nameKeys: ['pool', 'layout', 'publish'],
    threads: 'even',
    usesPool: true,
  },
  'gc-churn': {
    name: 'gc-churn',
    camel: 'GcChurn',
    shows:
      'clear() every M operations: with the victim cache the objects survive one epoch (hits), without it every clear turns the next gets into allocations.',
    op: 'one get + one put (K held), clear() every M',
    nameKeys: ['pool', 'victim', 'clearEvery', 'batch'],
    threads: 'any',
    usesPool: true,
  },
  'false-sharing': {
    name: 'false-sharing',
    camel: 'FalseSharing',
    shows:
      "The same get/put loop per layout: Packed puts the threads' records on one cache line, so at 2 threads every write bounces it; Pad64/Pad128 do not.",
    op: 'one get + one put',
    nameKeys: ['layout', 'publish'],
    threads: 'any',
    usesPool: true,
  },
  alloc: {
    name: 'alloc',
    camel: 'Alloc',
    shows: 'The same get/put patterns on the allocator itself (malloc/free), the baseline a pool has to beat.',
    op: 'one allocation + one free (K held)',
    nameKeys: ['pool', 'batch'],
    threads: 'any',
    usesPool: false,
  },
};

/** `{ 'get-put': 'The private-slot…', … }`, for the results document's config. */
export function scenarioStatements(): Record<ScenarioName, string> {
  const out = {} as Record<ScenarioName, string>;
  for (const name of SCENARIOS) out[name] = SCENARIO_INFO[name].shows;
  return out;
}
