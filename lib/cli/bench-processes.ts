/**
 * `bench --processes N`: the run's samples taken in N processes, one after
 * the other, merged into one document whose samples say which process took
 * them. Why: some of a benchmark's variance lives at the process level (the
 * JIT's choices for a JavaScript pool, the allocator's heap, the Go peer's
 * process, code and data addresses fixed at load), where samples of one
 * process cannot see it; an A/A comparison of single-process runs then calls
 * that variance a change (Kalibera & Jones, ISMM 2013: repeat at the level
 * that has the variance). `compare` treats each process as a run.
 *
 * Process i takes its share of the samples (the repeat split as evenly as it
 * goes, the first ones taking one more), draws its placements from seed + i,
 * and only process 0 measures the harness's fidelity.
 */
import { RunError } from '../errors.js';
import type { FromBenchProcess, ToBenchProcess } from '../internal/bench-process.js';
import { forkProcess } from '../internal/worker-entry.js';
import { mergeProcessDocuments } from '../results/merge.js';
import type { ResultsDocument } from '../results/schema.js';
import type { MeasureOptions, MeasureProgress } from './bench-measure.js';

/** How many of `total` samples process `index` of `processes` takes. */
export function shareOf(total: number, processes: number, index: number): number {
  return Math.floor(total / processes) + (index < total % processes ? 1 : 0);
}

/** Measures `o` in `processes` child processes; stops starting new ones once `signal` aborts. */
export async function measureInProcesses(
  o: MeasureOptions,
  processes: number,
  signal: AbortSignal,
  progress: MeasureProgress,
): Promise<ResultsDocument> {
  const repeat = o.bounds.repeat ?? 1;
  const docs: ResultsDocument[] = [];
  // Every process says the same of the peers ("skipped: …"): each line once.
  const said = new Set<string>();
  const once: MeasureProgress = {
    ...progress,
    log: (line) => {
      if (said.has(line)) return;
      said.add(line);
      progress.log(line);
    },
  };
  const started = Date.now();
  for (let i = 0; i < processes && !signal.aborted; i++) {
    const share = shareOf(repeat, processes, i);
    const seed = (o.seed + i) >>> 0;
    once.log(
      `poolscope: process ${i + 1} of ${processes}: ${share} sample${share === 1 ? '' : 's'} per benchmark (placement seed ${seed})`,
    );
    const remaining = Math.max(1, o.timeLimitMs - (Date.now() - started));
    const options: MeasureOptions = {
      ...o,
      bounds: { ...o.bounds, repeat: share },
      seed,
      fidelity: o.fidelity && i === 0,
      timeLimitMs: remaining,
    };
    const doc = await runChild(i, options, signal, once);
    docs.push(doc);
    if (doc.interrupted) break;
  }
  if (docs.length === 0) throw new RunError('ERR_INTERRUPTED', 'interrupted before the first process finished');
  const merged = mergeProcessDocuments(docs);
  if (docs.length < processes) merged.interrupted = true;
  return merged;
}

/** One child process: start it, forward its progress, resolve with its document. */
function runChild(
  index: number,
  options: MeasureOptions,
  signal: AbortSignal,
  progress: MeasureProgress,
): Promise<ResultsDocument> {
  return new Promise((resolve, reject) => {
    const child = forkProcess(import.meta.url, '../internal/bench-process');
    let settled = false;
    const onAbort = () => {
      if (child.connected) child.send({ type: 'stop' } satisfies ToBenchProcess);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      f();
    };
    child.on('message', (m: FromBenchProcess) => {
      switch (m.type) {
        case 'benchmark':
          progress.onBenchmark(m);
          break;
        case 'result':
          progress.onResult(m.result, m.index, m.total);
          break;
        case 'log':
          progress.log(m.line);
          break;
        case 'done':
          finish(() => resolve(m.doc));
          break;
        case 'failed': {
          const err = new RunError('ERR_BENCH_PROCESS', `process ${index + 1}: ${m.message}`);
          if (m.stack !== undefined) err.stack = `${err.name}: ${err.message}\n  in the child process:\n${m.stack}`;
          finish(() => reject(err));
          break;
        }
      }
    });
    child.on('error', (e) =>
      finish(() => reject(new RunError('ERR_BENCH_PROCESS', `process ${index + 1}: ${e.message}`, { cause: e }))),
    );
    // 'close', not 'exit': it comes after the IPC channel closed, so every message was delivered.
    child.on('close', (code, sig) =>
      finish(() =>
        reject(
          new RunError(
            'ERR_BENCH_PROCESS',
            `process ${index + 1} of the run exited (${sig ?? `code ${code}`}) before sending its results`,
          ),
        ),
      ),
    );
    child.send({ type: 'start', options } satisfies ToBenchProcess);
  });
}
