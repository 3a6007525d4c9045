/**
 * What one `poolscope bench` process measures: the suite's benchmarks through
 * the harness, then (unless a selection or `--no-peers` says otherwise) Go's
 * sync.Pool and Node's allocation into the same document. `bench` calls it
 * in its own process, or once per child process when the run is split across
 * processes (lib/cli/bench-processes.ts); the options are plain data so they
 * can cross the IPC channel to a child.
 */
import { formatFidelity } from '../harness/fidelity.js';
import type { BenchmarkSpec, SampleBounds } from '../harness/options.js';
import { runSuite } from '../harness/run-suite.js';
import type { SuiteName } from '../harness/suites.js';
import { DEFAULTS } from '../limits.js';
import { runPeers, skippedPeerLines } from '../peers/run.js';
import type { BenchmarkResult, ResultsDocument } from '../results/schema.js';

/** Everything one process needs to measure its part of a `bench` run (JSON-safe). */
export interface MeasureOptions {
  specs: BenchmarkSpec[];
  suite: SuiteName;
  bounds: SampleBounds;
  fidelity: boolean;
  timeLimitMs: number;
  pinThreads: boolean;
  randomize: boolean;
  seed: number;
  events?: string[];
  /** Go's sync.Pool and Node's allocation after the suite, as many samples as the suite's, at its batch (16) and clear interval (1024). */
  peers: boolean;
}

/** Progress of a measurement, as the terminal shows it. */
export interface MeasureProgress {
  onBenchmark(event: { name: string; index: number; total: number }): void;
  onResult(result: BenchmarkResult, index: number, total: number): void;
  /** One line of status (fidelity, peers, skipped peers). */
  log(line: string): void;
}

/** Runs the suite (and the peers) of `o` in this process; stops early, keeping what finished, when `signal` aborts. */
export async function measureBench(
  o: MeasureOptions,
  signal: AbortSignal,
  progress: MeasureProgress,
): Promise<ResultsDocument> {
  const doc = await runSuite(o.specs, {
    ...o.bounds,
    suite: o.suite,
    fidelity: o.fidelity,
    timeLimitMs: o.timeLimitMs,
    pinThreads: o.pinThreads,
    randomize: o.randomize,
    seed: o.seed,
    signal,
    onBenchmark: (e) => progress.onBenchmark(e),
    onResult: (r, i, n) => progress.onResult(r, i, n),
    onFidelity: (f) => progress.log(formatFidelity(f)),
    ...(o.events !== undefined ? { events: o.events } : {}),
  });
  // Not after an interrupt: the user asked to stop.
  if (o.peers && !doc.interrupted) {
    progress.log("poolscope: peers (Go's sync.Pool, Node's allocation; --no-peers skips)");
    const peers = await runPeers({
      reference: false,
      allocators: false,
      repeats: o.bounds.repeat ?? DEFAULTS.repeat,
      sampleMs: o.bounds.sampleMs ?? DEFAULTS.peerSampleMs,
      batch: 16,
      clearEvery: 1024,
    });
    doc.benchmarks.push(...peers.benchmarks);
    doc.config.peers = peers.status;
    for (const line of skippedPeerLines(peers.status)) progress.log(line);
  }
  return doc;
}
