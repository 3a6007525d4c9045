/**
 * One results document from the documents of a run's processes (`bench
 * --processes N`, lib/cli/bench-processes.ts): each benchmark's samples from
 * every process, each sample tagged with the process that took it, so
 * `compare` can treat the process as the run-level random effect (Kalibera &
 * Jones 2013: repeat at the level that has the variance).
 */
import { summarize } from '../stats.js';
import { type BenchmarkResult, MAX_PROCESSES, type ResultsDocument } from './schema.js';

/** The match key of a benchmark across processes: name and threads. */
function key(b: BenchmarkResult): string {
  return `${b.name}\u0000${b.params.threads}`;
}

/**
 * Merges the documents of processes 0..n−1 of one run, in that order. The
 * first document gives the run's header (machine, events, config with its
 * fidelity); `config.processes` becomes n. Benchmarks keep the first-seen
 * order; a benchmark missing from a process (interrupted) just has fewer
 * samples. The summary is recomputed over all samples.
 */
export function mergeProcessDocuments(docs: readonly ResultsDocument[]): ResultsDocument {
  const first = docs[0];
  if (first === undefined) throw new RangeError('mergeProcessDocuments needs at least one document (received none)');
  if (docs.length > MAX_PROCESSES) {
    throw new RangeError(`mergeProcessDocuments takes at most ${MAX_PROCESSES} documents (received ${docs.length})`);
  }
  const merged = new Map<string, BenchmarkResult>();
  for (const [process, doc] of docs.entries()) {
    for (const b of doc.benchmarks) {
      const samples = b.samples.map((s) => ({ ...s, process }));
      const k = key(b);
      const seen = merged.get(k);
      if (seen === undefined) {
        merged.set(k, { ...b, samples });
      } else {
        seen.samples.push(...samples);
        if (b.interrupted) seen.interrupted = true;
      }
    }
  }
  const benchmarks = [...merged.values()].map((b) => ({
    ...b,
    summary: { nsPerOp: summarize(b.samples.map((s) => s.nsPerOp)) },
  }));
  const interrupted = docs.some((d) => d.interrupted === true);
  const { findings: _ignored, ...header } = first;
  return {
    ...header,
    config: { ...first.config, processes: docs.length },
    benchmarks,
    ...(interrupted ? { interrupted } : {}),
  };
}

/** A benchmark's ns/op samples by the process that took them (process 0 when the samples carry none), in process order. */
export function samplesPerProcess(b: BenchmarkResult): Map<number, number[]> {
  const runs = new Map<number, number[]>();
  for (const s of b.samples) {
    const p = s.process ?? 0;
    const list = runs.get(p);
    if (list) list.push(s.nsPerOp);
    else runs.set(p, [s.nsPerOp]);
  }
  return new Map([...runs].sort(([x], [y]) => x - y));
}

/**
 * A benchmark's samples split by the process that took them (one run each, in
 * process order); one run when the samples carry no process.
 */
export function samplesByProcess(b: BenchmarkResult): number[][] {
  return [...samplesPerProcess(b).values()];
}
