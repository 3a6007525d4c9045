/**
 * Progress of a run on the terminal: a cli-progress bar on a TTY, one plain
 * line per finished benchmark otherwise (logs, CI), nothing with `quiet`.
 * Progress goes to stderr, so stdout stays the report.
 */
import cliProgress from 'cli-progress';
import { formatNumber } from '../number-format.js';
import type { BenchmarkResult } from '../results/schema.js';

export type ProgressMode = 'bar' | 'lines' | 'quiet';

export interface Progress {
  onBenchmark(event: { name: string; index: number; total: number }): void;
  onResult(result: BenchmarkResult, index: number, total: number): void;
  /** A line that must not be mangled by the bar (the bar is redrawn after it). */
  log(line: string): void;
  stop(): void;
}

export function progressMode(quiet: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressMode {
  if (quiet) return 'quiet';
  return stream.isTTY === true ? 'bar' : 'lines';
}

function resultLine(r: BenchmarkResult, index: number, total: number): string {
  const s = r.summary.nsPerOp;
  const spread = Number.isFinite(s.ciLow) ? ` [${formatNumber(s.ciLow)}, ${formatNumber(s.ciHigh)}]` : '';
  const cut = r.interrupted ? ' (interrupted)' : '';
  return `[${index + 1}/${total}] ${r.name}-${r.params.threads}  ${formatNumber(s.median)} ns/op${spread}, ${r.samples.length} samples${cut}`;
}

export function createProgress(mode: ProgressMode, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (mode === 'quiet') return { onBenchmark() {}, onResult() {}, log() {}, stop() {} };
  if (mode === 'lines') {
    return {
      onBenchmark({ name, index, total }) {
        stream.write(`[${index + 1}/${total}] ${name} running\n`);
      },
      onResult(r, index, total) {
        stream.write(`${resultLine(r, index, total)}\n`);
      },
      log(line) {
        stream.write(`${line}\n`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{bar} {value}/{total} {name}',
      hideCursor: true,
      clearOnComplete: true,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onBenchmark({ name, index, total }) {
      if (!started) bar.start(total, index, { name });
      started = true;
      bar.update(index, { name });
    },
    onResult(_r, index) {
      bar.update(index + 1);
    },
    log(line) {
      if (started) bar.stop();
      stream.write(`${line}\n`);
      started = false;
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
