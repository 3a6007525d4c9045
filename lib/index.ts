/**
 * poolscope's public API. This file only re-exports; each export is
 * documented where it is defined.
 */

export { type PlatformLayer, platformLayer } from './binding.js';
export {
  type CounterEventInfo,
  type CounterReading,
  Counters,
  type CountersMachineInfo,
  type CountersOptions,
  type DerivedFigure,
  type MeasuredEvent,
  type MeasureOptions,
  type MeasureResult,
  measure,
  type ProbedEvent,
  type ProbeResult,
  probe,
} from './counters/index.js';
export {
  AddonLoadError,
  CountersError,
  GoBenchFormatError,
  PeerUnavailableError,
  PoolError,
  PoolscopeError,
  ResultsFormatError,
  RunError,
} from './errors.js';
export { type FidelityResult, formatFidelity } from './harness/fidelity.js';
export type { BenchmarkSpec, SampleBounds } from './harness/options.js';
export type { SampleEvent } from './harness/run-benchmark.js';
export {
  DEFAULT_EVENTS,
  type RunControlOptions,
  runStress,
  runSuite,
  type StressOptions,
  type SuiteOptions,
} from './harness/run-suite.js';
export { SCENARIO_INFO, SCENARIOS, type ScenarioInfo, type ScenarioName } from './harness/scenarios.js';
export {
  checkServedByPeer,
  type PeerStatus,
  probeAllocatorPeers,
  type ServedCheck,
} from './peers/allocators.js';
export type { GoBenchToResultsOptions } from './peers/go-bench.js';
export { type GoBenchLine, goBenchToResults, parseGoBench } from './peers/go-bench.js';
export { type PeersOptions, type PeersRun, type PeersStatus, probePeers, runPeers } from './peers/run.js';
export {
  ALLOCATOR_KINDS,
  ALLOCATOR_PEERS,
  type AllocatorKind,
  type AllocatorPeer,
  LOOP_SCENARIOS,
  type LoopScenario,
  MAX_OBJECT_SIZE,
  NativePool,
  type NativePoolInfo,
  type NativePoolOptions,
  type NativePoolStats,
  POOL_KINDS,
  POOL_LAYOUTS,
  POOL_PUBLISH,
  type PoolKind,
  type PoolLayout,
  type PoolPublish,
  type RunLoopOptions,
  type RunLoopResult,
} from './pool.js';
export {
  type CounterSource,
  type PoolMetricsSource,
  type RegisteredMetrics,
  type RegisterMetricsOptions,
  registerMetrics,
} from './prometheus.js';
export { storedFindings, withAnalysis } from './report/analyze.js';
export {
  type BenchmarkChange,
  type CompareOptions,
  type Comparison,
  compareResults,
  compareRuns,
} from './report/compare.js';
export { findingText } from './report/finding-text.js';
export { computeFindings } from './report/findings.js';
export type { MissingPeer, PeerFinding } from './report/peers.js';
export { type PeerRow, type PeersReport, peersReport, peersTable } from './report/peers.js';
export { placementSpread } from './report/placement.js';
export { REPORT_FORMATS, type ReportFormat, renderReport } from './report/render.js';
export type { Table } from './report/table.js';
export { type WrittenReports, writeReports } from './report/write.js';
export { parseResults, readResultsFile } from './results/parse.js';
export type {
  BenchmarkParams,
  BenchmarkResult,
  BusyBenchmark,
  ContrastFields,
  CounterValue,
  EffectFinding,
  EventInfo,
  EventState,
  FigureFinding,
  Finding,
  FindingContext,
  FindingDimension,
  FindingSide,
  GetSources,
  MachineInfo,
  MeasurementFinding,
  NotExercisedFinding,
  NotSignificantFinding,
  PlacementFinding,
  ResultsDocument,
  RunPlacement,
  Sample,
  SamplePlacement,
  Spread,
  Statistics,
} from './results/schema.js';
export { SCHEMA_VERSION } from './results/schema.js';
export {
  SharedBufferPool,
  type SharedBufferPoolHandle,
  type SharedBufferPoolOptions,
  type SharedBufferPoolStats,
} from './shared-buffer-pool.js';
export type { MedianInterval, ShiftInterval } from './stats.js';
export { geomean, type MannWhitneyResult, mannWhitneyU, medianCI, shiftCI, summarize } from './stats.js';
export { readSharedStats, SyncPool, type SyncPoolOptions, type SyncPoolStats } from './sync-pool.js';
