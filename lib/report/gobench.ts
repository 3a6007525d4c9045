/**
 * Go benchmark text (golang.org/design/14313-benchmark-format), which
 * `benchstat` reads: configuration lines `key: value` first (keys lower case,
 * no spaces), then one result line per sample:
 * `BenchmarkGetPut/pool=sync/layout=pad128/publish=xadd/objectSize=64-2  <iterations>  <value> ns/op  <value> thread-ns/op  <value> <unit>…`.
 * Names and units are single tokens (no whitespace); iterations an integer.
 * lib/report/gobench-read.ts reads it back (for `compare`).
 */

import type { BenchmarkResult, ResultsDocument } from '../results/schema.js';
import { sampleMetrics } from './figures.js';

/** Go's GOARCH for Node's `process.arch`. */
const GOARCH: Record<string, string> = {
  x64: 'amd64',
  ia32: '386',
  arm64: 'arm64',
  arm: 'arm',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

/** A number with up to 6 significant digits, in a form Go's strconv.ParseFloat reads (plain decimal except for extremes). */
export function goNumber(x: number): string {
  if (!Number.isFinite(x)) return '0';
  if (x === 0) return '0';
  const digits = Math.max(0, 5 - Math.floor(Math.log10(Math.abs(x))));
  return String(Number(x.toFixed(Math.min(digits, 20))));
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').trim();
}

/** The keys every name carries first, in this order, where the benchmark has them (objectSize always). */
export const GO_NAME_KEYS = ['pool', 'layout', 'publish', 'batch', 'clearEvery', 'victim', 'objectSize'] as const;

/** Params that are not name keys: the scenario (the name's first part), threads (`-N`), Go's GOMAXPROCS, metric units. */
function isNameKey(key: string): boolean {
  return key !== 'scenario' && key !== 'threads' && key !== 'gomaxprocs' && !/[/%\s]/.test(key);
}

/** `gc-churn` → `GcChurn`. */
export function camelOfScenario(scenario: string): string {
  return scenario
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/**
 * The Go benchmark name of a benchmark, from its params, the same keys in
 * the same order for every benchmark (so benchstat's `-col /pool`,
 * `-col /publish`, `-row /layout` line rows up): the CamelCase scenario,
 * then {@link GO_NAME_KEYS}, then any other key in alphabetical order; no
 * `Benchmark` prefix and no `-N` (see {@link goBenchmarkLineName}).
 */
export function goName(b: BenchmarkResult): string {
  const p = b.params;
  const parts = [camelOfScenario(p.scenario)];
  const value = (v: string | number | boolean) => String(v).replace(/[\s/]+/g, '_');
  for (const k of GO_NAME_KEYS) {
    const v = p[k];
    if (v !== undefined) parts.push(`${k}=${value(v)}`);
  }
  const rest = Object.keys(p)
    .filter((k) => isNameKey(k) && !(GO_NAME_KEYS as readonly string[]).includes(k) && p[k] !== undefined)
    .sort();
  for (const k of rest) parts.push(`${k}=${value(p[k] as string | number | boolean)}`);
  return parts.join('/');
}

/** `BenchmarkGetPut/pool=sync/…/objectSize=64-2`: Go's `-N` (GOMAXPROCS; here threads) omitted at 1, as `go test` does. */
export function goBenchmarkLineName(b: BenchmarkResult): string {
  const n = b.params.threads;
  return `Benchmark${goName(b)}${n === 1 ? '' : `-${n}`}`;
}

/**
 * Operations per Go iteration: producer-consumer counts a get on the
 * producer and a put on the consumer per object moved, where `go test`
 * counts the object once.
 */
export function opsPerIteration(scenario: string): number {
  return scenario === 'producer-consumer' ? 2 : 1;
}

/**
 * Go benchmark text of a document: one line per sample,
 * `BenchmarkName-N  iterations  ns/op  thread-ns/op  …`. `-N` is threads;
 * `ns/op` has Go's `RunParallel` meaning, wall time ÷ total iterations, so
 * a 2-thread row reads like a Go row at GOMAXPROCS=2; `thread-ns/op` is the
 * wall time per operation per worker (the document's nsPerOp).
 */
export function renderGoBench(doc: ResultsDocument): string {
  const m = doc.machine;
  const out = [
    `goos: ${oneLine(m.os)}`,
    `goarch: ${GOARCH[m.arch] ?? oneLine(m.arch)}`,
    'pkg: poolscope',
    `cpu: ${oneLine(m.cpuModel)}`,
  ];
  for (const b of doc.benchmarks) {
    const name = goBenchmarkLineName(b);
    const per = opsPerIteration(b.params.scenario);
    for (const s of b.samples) {
      const iterations = s.ops / per;
      const fields = [
        name,
        String(Math.max(1, Math.round(iterations))),
        `${goNumber(s.elapsedNs / iterations)} ns/op`,
        `${goNumber(s.nsPerOp)} thread-ns/op`,
      ];
      for (const [unit, v] of sampleMetrics(s)) fields.push(`${goNumber(v)} ${unit}`);
      out.push(fields.join('\t'));
    }
  }
  return `${out.join('\n')}\n`;
}
