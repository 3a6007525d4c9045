/**
 * The results document: one JSON file per run. The harness writes it; every
 * report format and `compare` read only this. Bump {@link SCHEMA_VERSION}
 * on any incompatible change; readers validate with `parseResults`
 * (lib/results/parse.ts) and reject other versions with a clear error.
 */
import { LIMITS } from '../limits.js';

/** The version written into `schema`. */
export const SCHEMA_VERSION = 2;
/**
 * Versions `parseResults` reads. Schema 1 stored findings as sentences
 * (`{ scenario, text, significant }`); reading one drops those, and the
 * findings are computed again from the samples.
 */
export const READABLE_SCHEMAS: readonly number[] = [1, 2];

/** The state of one requested counter (see lib/counters). */
export type EventState = 'counted' | 'not-counted' | 'not-supported' | 'denied' | 'error';

/** One requested event and whether this machine could count it. */
export interface EventInfo {
  /** Name as requested, as `perf list` spells it (`cycles`, `task-clock`, `r01c2:u`) or `tsc`. */
  name: string;
  /** Whether this machine counted it. */
  state: EventState;
  /** Why it is not counted: the errno name and meaning, and what to do. Absent when counted. */
  reason?: string;
}

/** The machine a run was measured on. */
export interface MachineInfo {
  /** `model name` from /proc/cpuinfo (or `os.cpus()[0].model`). */
  cpuModel: string;
  /** Logical CPUs the OS reports. */
  logicalCores: number;
  /** `uname -r`. */
  kernel: string;
  /** `process.version`. */
  node: string;
  /** The compiler the addon was built with, e.g. `g++ 12.2.0`. */
  compiler: string;
  /** /proc/sys/kernel/perf_event_paranoid, or null where it cannot be read. */
  perfEventParanoid: number | null;
  /** `process.platform`. */
  os: string;
  /** `process.arch`. */
  arch: string;
  /** Hardware PMU available to perf_event_open on this machine. */
  pmu: boolean;
}

/** A counter reading within one sample, per the whole sample (sum over workers). */
export interface CounterValue {
  /**
   * Raw count (sum over the workers that counted it); `null` when no worker
   * counted it (state `not-counted`: opened, never scheduled; perf prints
   * `<not counted>`), never a 0 that reads as a measurement.
   */
  value: number | null;
  /** Scaled by enabled/running time (multiplexing), as `perf stat` does; `null` as `value`. */
  scaled: number | null;
  /** Percentage of enabled time the counter was running (100 without multiplexing). */
  runningPct: number;
}

/** Where the gets of a sample were served, summed over workers. */
export interface GetSources {
  private: number;
  shared: number;
  steal: number;
  victim: number;
  new: number;
}

/**
 * Where one sample's code, stack and data sat (placement-randomized sampling,
 * docs/benchmarks.md): each sample draws these from the run's seed.
 */
export interface SamplePlacement {
  /** Bytes the timed loop's stack frame was moved down by (a multiple of 16, 0 to 4080). */
  stackOffset: number;
  /** Bytes the pool's per-thread records were moved within a page (a multiple of 64, 0 to 4032); 0 for pools without records. */
  dataOffset: number;
  /** Which copy of the scenario loop ran (0 to 7); the copies' loop heads differ mod 64 bytes. */
  codeCopy: number;
}

/** How the samples of a run were placed: `config.placement`. */
export interface RunPlacement {
  /** True when every sample drew a fresh placement; false (`--no-randomize`) when all ran at offset 0, copy 0. */
  randomized: boolean;
  /** The seed of the placement draws (`--seed N` reproduces them); an unsigned 32-bit integer. */
  seed: number;
}

/** The highest code copy a sample can run (copies are 0..MAX_CODE_COPY). */
export const MAX_CODE_COPY = 7;
/** The largest stack offset, bytes. */
export const MAX_STACK_OFFSET = 4080;
/** The largest data offset, bytes. */
export const MAX_DATA_OFFSET = 4032;

/** One timed repetition of a benchmark. */
export interface Sample {
  /** Operations in the sample, summed over workers (an operation = one get+put pair unless the scenario says otherwise). */
  ops: number;
  /** Wall time of the sample, ns (from the common start to the last worker's end). */
  elapsedNs: number;
  /**
   * Wall time per operation per worker: elapsedNs × threads / ops (`parseResults` checks it, to float
   * rounding). Go's `ns/op` (wall ÷ total ops) is elapsedNs / ops; bench.txt writes both.
   */
  nsPerOp: number;
  /** TSC cycles per operation per worker. */
  tscCyclesPerOp?: number;
  /** Where gets were served. */
  sources?: GetSources;
  /** Puts in the sample, summed over workers. */
  puts?: number;
  /** Puts the pool did not keep (object freed), summed over workers. */
  drops?: number;
  /** Counter readings by event name; only events whose state is `counted` or `not-counted` (values `null`). */
  counters: Record<string, CounterValue>;
  /** Per-worker ns/op, for spread across threads. */
  perWorkerNsPerOp?: number[];
  /** Other per-operation figures a peer reported for this sample, by unit (`news/op`, `steals/op`, `victim-hit-%` from `go test`). */
  metrics?: Record<string, number>;
  /** Where the sample's code, stack and data sat; absent in documents from before placement randomization and in imported results. */
  placement?: SamplePlacement;
  /**
   * Which of the run's processes took the sample (0-based), when the run was split across
   * `config.processes` processes (`bench --processes N`): `compare` treats each process as a run.
   */
  process?: number;
}

/** The most processes one run may be split across (`bench --processes`). */
export const MAX_PROCESSES: number = LIMITS.processes.max;

/** Summary of a list of values: median and its confidence interval. */
export interface Statistics {
  /** Number of values. */
  n: number;
  /** Middle value (mean of the two middle values for even n). */
  median: number;
  /** Arithmetic mean. */
  mean: number;
  /** Smallest value. */
  min: number;
  /** Largest value. */
  max: number;
  /** Sample standard deviation. */
  stddev: number;
  /** Lower end of the distribution-free 95% confidence interval of the median (order statistics; with n < 6: the minimum). */
  ciLow: number;
  /** Upper end of the 95% CI of the median (with n < 6: the maximum, the interval is the full range). */
  ciHigh: number;
}

/** What a benchmark ran; every key that varies also appears in its name as `/key=value`. */
export interface BenchmarkParams {
  /** `get-put`, `batch`, `producer-consumer`, `gc-churn`, `false-sharing`, `alloc`, … */
  scenario: string;
  /** `sync`, `malloc`, `mutex`, `treiber`, allocator peers (`jemalloc`, …), `go-sync`, node (`node-alloc-unsafe`, …). */
  pool: string;
  /** Per-thread record layout of the sync pool: `packed`, `pad64`, `pad128`. */
  layout?: string;
  /** Index publication instruction of the sync pool: `xadd`, `cas`, `mfence`, `xchg`. */
  publish?: string;
  /** Worker threads. */
  threads: number;
  /** Bytes per pooled object. */
  objectSize: number;
  /** Scenario-specific parameters (batch size K, clear interval M, victim on/off, …). */
  [key: string]: string | number | boolean | undefined;
}

/** One benchmark: its parameters, every sample, and the summary of ns/op. */
export interface BenchmarkResult {
  /** Go benchmark style name without the `Benchmark` prefix and `-N` suffix, e.g. `GetPut/pool=sync/layout=pad128/publish=xadd`. */
  name: string;
  /** What was run. */
  params: BenchmarkParams;
  /** Every timed repetition, in the order run. */
  samples: Sample[];
  /** Statistics of `samples[].nsPerOp`. */
  summary: { nsPerOp: Statistics };
  /** Where the result came from when not from poolscope's own harness (e.g. `go test`). */
  source?: string;
  /** Set when the run was stopped (Ctrl-C) before all repeats finished. */
  interrupted?: boolean;
  /** Spread of ns/op across samples (lib/report/placement.ts); written with the findings. */
  spread?: Spread;
}

/** One benchmark a finding rests on, with the figure it compares. */
export interface FindingSide {
  /** Display name (`GetPut/pool=sync/layout=pad128/publish=xadd`, plus `-N` above 1 thread). */
  benchmark: string;
  /** The value of the compared parameter on this side (`packed`, `xadd`, `malloc`, `true`). */
  label: string;
  /** Median ns/op of its samples. */
  nsPerOp: number;
  /** Samples. */
  n: number;
}

/** Where a comparison was made: what the two sides share. */
export interface FindingContext {
  threads: number;
  objectSize: number;
  /** Objects held at once, where the scenario holds more than one. */
  batch?: number;
  /** Layout both sides share (publish comparisons). */
  layout?: string;
  /** Publish instruction both sides share (layout comparisons). */
  publish?: string;
  /** gc-churn: clear() every this many ops. */
  clearEvery?: number;
  /** The access pattern, for pool-against-pool comparisons (`get+put`, `batch of 16`). */
  pattern?: string;
}

/** What a comparison varies: the layout, the publish instruction, the pool, or the victim cache. */
export type FindingDimension = 'layout' | 'publish' | 'pool' | 'victim';

/**
 * A contrast of two benchmarks. `scale: 'ratio'` compares ns/op (estimate =
 * other ÷ base); `scale: 'difference'` compares the victim cache's hit rate
 * (estimate = other − base, a fraction).
 */
export interface ContrastFields {
  scenario: string;
  dimension: FindingDimension;
  base: FindingSide;
  other: FindingSide;
  context: FindingContext;
  scale: 'ratio' | 'difference';
  /** Median ratio of ns/op (with `processes`: the geometric mean of the per-process ratios), or the difference of medians of the hit rate. */
  estimate: number;
  /** 95% interval of the estimate (Hodges–Lehmann; with `processes`: Student's t over the processes). */
  ciLow: number;
  ciHigh: number;
  /** Two-sided p: Mann–Whitney over the samples, or with `processes` the paired t test over the processes. */
  p: number;
  /**
   * Set when the test paired the two benchmarks' per-process medians over this many processes of a
   * run split across processes (`bench --processes`): the process was the unit of variance.
   */
  processes?: number;
  /** The larger placement spread of the two sides, in % (lib/report/placement.ts); null without enough samples. */
  spreadPct: number | null;
  /** True when the document says the samples were placement-randomized (the spread is then placement's). */
  placementRandomized: boolean;
  /** A side ran while its workers were off a CPU much of the time (see the `measurement` finding). */
  busy: boolean;
  /** Victim comparisons: the median hit rate (fraction of the gets that missed the primary cache) per side. */
  hitRates?: { base: number; other: number };
}

/** A significant difference the scenario exists to show. */
export interface EffectFinding extends ContrastFields {
  kind: 'effect';
  /** The mechanism the data supports: `false-sharing` (packed slower with ≥ 2 workers overlapping in time). */
  cause?: 'false-sharing';
  /** True when |change| is smaller than the placement spread: the effect is not credited to its cause. */
  withinSpread: boolean;
  /**
   * Layout comparisons at ≥ 2 threads: how many workers were on a CPU at once, on average (task-clock
   * summed over workers ÷ wall time, the smaller side's median); above 1 they overlapped in time. Null
   * without task-clock.
   */
  overlap?: number | null;
}

/** A comparison the samples do not support. */
export interface NotSignificantFinding extends ContrastFields {
  kind: 'not-significant';
  /** Fewer than 4 samples on a side: the test cannot reach p < 0.05 whatever the data. */
  tooFewSamples: boolean;
}

/** A layout comparison at one thread: no line is shared, so a difference is code or data placement. */
export interface PlacementFinding extends ContrastFields {
  kind: 'placement';
  /** Whether the difference is significant (it is still placement, not the layout). */
  significant: boolean;
}

/** A comparison skipped because the mechanism it would credit did not run on both sides. */
export interface NotExercisedFinding {
  kind: 'not-exercised';
  scenario: string;
  dimension: FindingDimension;
  base: FindingSide;
  other: FindingSide;
  context: FindingContext;
  /**
   * `no-shared-pushes`: a side's gets were never served from the shared
   * deque (shared pushes per op = 0), so no publish instruction ran;
   */
  reason: 'no-shared-pushes';
  /** Per side (base, other): median shared pushes per op. */
  baseValue: number | null;
  otherValue: number | null;
}

/** A measured figure stated on its own (producer-consumer handoffs). */
export interface FigureFinding {
  kind: 'figure';
  scenario: string;
  figure: 'handoff';
  benchmark: string;
  /** `sync pad128 xadd`: the pool and its variant. */
  label: string;
  context: FindingContext;
  /** Median ns per handoff and its 95% CI. */
  nsPerOp: number;
  ciLow: number;
  ciHigh: number;
  n: number;
  /** Median steals per op; null where not recorded. */
  stealsPerOp: number | null;
}

/** A benchmark whose workers were on a CPU for less than the threshold share of the wall time. */
export interface BusyBenchmark {
  benchmark: string;
  /** Median share of the wall time on a CPU (task-clock ÷ (elapsed × threads)). */
  onCpu: number;
  /** Median task-clock ns per op. */
  cpuNsPerOp: number;
  nsPerOp: number;
}

/** About the measurement itself rather than one scenario. */
export type MeasurementFinding =
  | {
      kind: 'measurement';
      scenario: 'measurement';
      issue: 'busy';
      /** The flagged benchmarks, worst first. */
      benchmarks: BusyBenchmark[];
      /** Benchmarks with a task-clock reading. */
      measured: number;
      /** The threshold (0.8). */
      threshold: number;
    }
  | {
      kind: 'measurement';
      scenario: 'measurement';
      issue: 'not-randomized';
      /** Effects stated despite samples sharing one placement. */
      effects: number;
    };

/**
 * A finding stated from the data, as numbers: the renderers
 * (lib/report/finding-text.ts) turn it into a sentence; nothing parses the sentence.
 */
export type Finding =
  | EffectFinding
  | NotSignificantFinding
  | PlacementFinding
  | NotExercisedFinding
  | FigureFinding
  | MeasurementFinding;

/** The kinds of {@link Finding}. */
export const FINDING_KINDS = [
  'effect',
  'not-significant',
  'placement',
  'not-exercised',
  'figure',
  'measurement',
] as const;

/**
 * How much a benchmark's ns/op varies from sample to sample: 1.4826 × the
 * median absolute deviation of ln(ns/op), as ±% (exp(s) − 1). It is the
 * placement spread when the samples were placement-randomized
 * (`config.placement.randomized`, {@link RunPlacement}), otherwise the spread within one placement.
 */
export interface Spread {
  /** ±x%. */
  pct: number;
  /** The robust standard deviation of ln(ns/op). */
  logSd: number;
  /** True when the samples were placement-randomized. */
  placement: boolean;
}

/** One run's results: what every report and `compare` read. */
export interface ResultsDocument {
  /** Format version, {@link SCHEMA_VERSION}. */
  schema: typeof SCHEMA_VERSION;
  /** The writer: always `poolscope`, and its version. */
  tool: { name: 'poolscope'; version: string };
  /** ISO 8601 time the run started. */
  startedAt: string;
  /** The machine it ran on. */
  machine: MachineInfo;
  /** Every requested event and its state on this machine. */
  events: EventInfo[];
  /**
   * The options the run was started with (suite name, repeats, …).
   * `config.placement` ({@link RunPlacement}), when present, is validated; so is
   * `config.processes` (how many processes took the samples; process i drew its
   * placements from seed + i).
   */
  config: Record<string, unknown> & { placement?: RunPlacement };
  /** Every benchmark run, in order. */
  benchmarks: BenchmarkResult[];
  /** Findings computed once from the benchmarks (lib/report/analyze.ts); every renderer reads these. */
  findings?: Finding[];
  /** True when the run was interrupted; the benchmarks hold what finished. */
  interrupted?: boolean;
}
