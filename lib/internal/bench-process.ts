/**
 * The child side of `bench --processes N` (lib/cli/bench-processes.ts): one
 * process of the run. Waits for its options on the IPC channel, measures
 * (lib/cli/bench-measure.ts), forwards progress, sends the document and
 * leaves. A `stop` message or a SIGINT (Ctrl-C reaches the whole process
 * group) stops it early, keeping what finished, as in a single-process run.
 */
import { type MeasureOptions, measureBench } from '../cli/bench-measure.js';
import type { BenchmarkResult, ResultsDocument } from '../results/schema.js';

/** Parent → child. */
export type ToBenchProcess = { type: 'start'; options: MeasureOptions } | { type: 'stop' };

/** Child → parent. */
export type FromBenchProcess =
  | { type: 'benchmark'; name: string; index: number; total: number }
  | { type: 'result'; result: BenchmarkResult; index: number; total: number }
  | { type: 'log'; line: string }
  | { type: 'done'; doc: ResultsDocument }
  | { type: 'failed'; message: string; stack?: string };

const controller = new AbortController();
let stops = 0;
const stop = () => {
  // A second Ctrl-C leaves at once, as the single-process run does.
  if (++stops > 1) process.exit(130);
  controller.abort();
};
process.on('SIGINT', stop);

/** Sends a message and resolves once it is written (a disconnect would drop queued ones). */
function send(m: FromBenchProcess): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(m, undefined, undefined, () => resolve());
  });
}

process.on('message', (m: ToBenchProcess) => {
  if (m.type === 'stop') {
    controller.abort();
    return;
  }
  void (async () => {
    try {
      const doc = await measureBench(m.options, controller.signal, {
        onBenchmark: (e) => void send({ type: 'benchmark', ...e }),
        onResult: (result, index, total) => void send({ type: 'result', result, index, total }),
        log: (line) => void send({ type: 'log', line }),
      });
      await send({ type: 'done', doc });
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      await send({ type: 'failed', message: err.message, ...(err.stack ? { stack: err.stack } : {}) });
    }
    process.disconnect();
  })();
});
