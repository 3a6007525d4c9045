/**
 * The results document: one JSON file per run. The harness writes it; every
 * report format and `compare` read only this. Bump {@link SCHEMA_VERSION}
 * on any incompatible change; readers validate with `parseResults`
 * (lib/results/parse.ts) and reject other versions with a clear error.
 */

/** The version written into `schema`. */
export const SCHEMA_VERSION = 1;

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
  /** Wall time per operation per worker: elapsedNs × threads / ops. */
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
  /** Where the sample's code, stack and data sat; absent in documents from before placement randomization and in imported results. */
  placement?: SamplePlacement;
}

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
}

/** A finding stated from the data: an effect the scenario exists to show. */
export interface Finding {
  /** The scenario whose benchmarks the finding compares, or `measurement` for a warning about the run itself (e.g. a busy machine). */
  scenario: string;
  /** One sentence with the numbers behind it. */
  text: string;
  /** False where the data does not support the effect ("not significant"). */
  significant: boolean;
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
   * `config.placement` ({@link RunPlacement}), when present, is validated.
   */
  config: Record<string, unknown> & { placement?: RunPlacement };
  /** Every benchmark run, in order. */
  benchmarks: BenchmarkResult[];
  /** Findings computed from the benchmarks (lib/report/findings.ts); written by `writeReports`. */
  findings?: Finding[];
  /** True when the run was interrupted; the benchmarks hold what finished. */
  interrupted?: boolean;
}
