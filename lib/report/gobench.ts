/**
 * Go benchmark text (golang.org/design/14313-benchmark-format), which
 * `benchstat` reads: configuration lines `key: value` first (keys lower case,
 * no spaces), then one result line per sample:
 * `BenchmarkGetPut/pool=sync-2  <iterations>  <value> ns/op  <value> <unit>…`.
 * Names and units are single tokens (no whitespace); iterations an integer.
 */

import type { ResultsDocument } from '../results/schema.js';
import { displayName, sampleMetrics } from './figures.js';

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

/** `Benchmark` + the display name with any whitespace replaced, so the name stays one token. */
export function goBenchmarkName(name: string): string {
  return `Benchmark${name.replace(/\s+/g, '_')}`;
}

export function renderGoBench(doc: ResultsDocument): string {
  const m = doc.machine;
  const out = [
    `goos: ${oneLine(m.os)}`,
    `goarch: ${GOARCH[m.arch] ?? oneLine(m.arch)}`,
    'pkg: poolscope',
    `cpu: ${oneLine(m.cpuModel)}`,
  ];
  for (const b of doc.benchmarks) {
    const name = goBenchmarkName(displayName(b));
    for (const s of b.samples) {
      const fields = [name, String(Math.max(1, Math.round(s.ops))), `${goNumber(s.nsPerOp)} ns/op`];
      for (const [unit, v] of sampleMetrics(s)) fields.push(`${goNumber(v)} ${unit}`);
      out.push(fields.join('\t'));
    }
  }
  return `${out.join('\n')}\n`;
}
