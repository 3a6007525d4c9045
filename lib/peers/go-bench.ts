/**
 * Go benchmark text (`go test -bench` output, the format `benchstat` reads)
 * into the results document's BenchmarkResults, for Go's own sync.Pool
 * (bench/peers/go) next to poolscope's pools.
 *
 * A result line is `BenchmarkName[-N] <iterations> <value> <unit> [<value> <unit>]…`
 * where `-N` is GOMAXPROCS (omitted when it is 1, as `go test` does) and the
 * first pair is `ns/op`. Other lines (goos:, pkg:, PASS, ok, --- SKIP, test
 * log lines, a bare `BenchmarkName` that `-v` prints) are not results and are
 * skipped; a line that starts like a result but does not parse is an error
 * naming the line.
 */

import { GoBenchFormatError } from '../errors.js';
import type { BenchmarkParams, BenchmarkResult, Sample } from '../results/schema.js';
import { summarize } from '../stats.js';

/** One result line. */
export interface GoBenchLine {
  /** 1-based line number in the text. */
  line: number;
  /** The name without `Benchmark` and without `-N`: `GetPut/objectSize=64`. */
  name: string;
  /** GOMAXPROCS: the `-N` suffix, 1 when absent. */
  procs: number;
  iterations: number;
  nsPerOp: number;
  /** Every other `<value> <unit>` pair (B/op, allocs/op, b.ReportMetric units). */
  metrics: Record<string, number>;
}

const RESULT_PREFIX = /^Benchmark\S/;
const NAME_ONLY = /^Benchmark\S+$/;
const RESULT = /^Benchmark(\S+?)(?:-(\d+))?\s+(\d+)\s+(.+)$/;

/**
 * Parses every result line of `go test -bench` output. Throws GoBenchFormatError on a malformed result line.
 *
 * @example
 * ```ts
 * import { parseGoBench } from 'poolscope';
 *
 * const [line] = parseGoBench('BenchmarkGetPut/objectSize=64-2   9000000   13.6 ns/op   0 news/op\n');
 * console.log(line?.name, line?.procs, line?.nsPerOp, line?.metrics['news/op']); // GetPut/objectSize=64 2 13.6 0
 * ```
 */
export function parseGoBench(text: string): GoBenchLine[] {
  const out: GoBenchLine[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? '').trim();
    if (!RESULT_PREFIX.test(raw) || NAME_ONLY.test(raw)) continue;
    const m = RESULT.exec(raw);
    const bad = (why: string): never => {
      throw new GoBenchFormatError('ERR_GO_BENCH_FORMAT', `go benchmark output line ${i + 1}: ${why}: ${raw}`);
    };
    if (m === null) return bad('expected "BenchmarkName[-N] <iterations> <value> ns/op [<value> <unit>]…"');
    const [, name = '', procsText, itersText = '', rest = ''] = m;
    const fields = rest.trim().split(/\s+/);
    if (fields.length % 2 !== 0) bad('values and units must come in pairs');
    const metrics: Record<string, number> = {};
    let nsPerOp: number | undefined;
    for (let f = 0; f < fields.length; f += 2) {
      const value = Number(fields[f]);
      const unit = fields[f + 1] ?? '';
      if (!Number.isFinite(value)) bad(`${JSON.stringify(fields[f])} is not a number`);
      if (unit === 'ns/op') nsPerOp = value;
      else metrics[unit] = value;
    }
    if (nsPerOp === undefined) return bad('no ns/op');
    const iterations = Number(itersText);
    if (!Number.isSafeInteger(iterations) || iterations <= 0) bad('iterations must be a positive integer');
    const procs = procsText === undefined ? 1 : Number(procsText);
    if (procs < 1) bad('the -N suffix must be at least 1');
    out.push({ line: i + 1, name, procs, iterations, nsPerOp, metrics });
  }
  return out;
}

/** `GcChurn` → `gc-churn`, `GetPut` → `get-put`. */
export function scenarioOfCamel(camel: string): string {
  return camel.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

function parseValue(v: string): string | number | boolean {
  if (v === 'true' || v === 'false') return v === 'true';
  const n = Number(v);
  return v !== '' && Number.isFinite(n) ? n : v;
}

/** Options of {@link goBenchToResults}. */
export interface GoBenchToResultsOptions {
  /** params.pool of every result. @default 'go-sync' */
  pool?: string;
  /** `source` of every result. @default 'go test' */
  source?: string;
}

/**
 * Groups result lines by name and GOMAXPROCS (each `-count` repetition is one
 * sample) into BenchmarkResults named like poolscope's own
 * (`GetPut/pool=go-sync/objectSize=4096`). `threads` is GOMAXPROCS.
 * Samples follow the document's conventions: elapsedNs is the wall time
 * (Go's ns/op × iterations); ops are counted per worker as the harness counts
 * them (producer-consumer: a get and a put per object moved, so 2 ×
 * iterations); nsPerOp = elapsedNs × threads ÷ ops, which for
 * producer-consumer and for GOMAXPROCS=1 is Go's ns/op. Custom metrics
 * (`news/op`, `steals/op`, `victim-hit-%`) stay per sample, in `metrics`.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { goBenchToResults, parseGoBench } from 'poolscope';
 *
 * const results = goBenchToResults(parseGoBench(await readFile('go-bench.txt', 'utf8')));
 * for (const r of results) console.log(r.name, r.params.threads, r.summary.nsPerOp.median);
 * ```
 */
export function goBenchToResults(
  lines: readonly GoBenchLine[],
  options: GoBenchToResultsOptions = {},
): BenchmarkResult[] {
  const pool = options.pool ?? 'go-sync';
  const source = options.source ?? 'go test';
  const groups = new Map<string, GoBenchLine[]>();
  for (const l of lines) {
    const key = `${l.name}-${l.procs}`;
    const g = groups.get(key);
    if (g) g.push(l);
    else groups.set(key, [l]);
  }
  const results: BenchmarkResult[] = [];
  for (const group of groups.values()) {
    const first = group[0];
    if (first === undefined) continue;
    const [camel = '', ...parts] = first.name.split('/');
    const scenario = scenarioOfCamel(camel);
    const params: BenchmarkParams = { scenario, pool, threads: first.procs, objectSize: 64, gomaxprocs: first.procs };
    // Go's sync.Pool always keeps a victim cache across one GC, and its GcChurn holds one object
    // (get+put): the keys poolscope's gc-churn carries, so the two line up in benchstat.
    if (scenario === 'gc-churn') {
      params.victim = true;
      params.batch = 1;
    }
    const nameParts = [camel, `pool=${pool}`];
    if (scenario === 'gc-churn') nameParts.push('victim=true');
    for (const part of parts) {
      const eq = part.indexOf('=');
      const key = eq > 0 ? part.slice(0, eq) : part;
      const value = eq > 0 ? parseValue(part.slice(eq + 1)) : true;
      if (key === 'objectSize' && typeof value === 'number') params.objectSize = value;
      else {
        params[key] = value;
        nameParts.push(part);
      }
    }
    if (params.objectSize !== 64) nameParts.push(`objectSize=${params.objectSize}`);
    const perIteration = scenario === 'producer-consumer' ? 2 : 1;
    const samples: Sample[] = group.map((l) => {
      const elapsedNs = l.nsPerOp * l.iterations;
      const ops = l.iterations * perIteration;
      const sample: Sample = { ops, elapsedNs, nsPerOp: (elapsedNs * first.procs) / ops, counters: {} };
      if (Object.keys(l.metrics).length > 0) sample.metrics = { ...l.metrics };
      return sample;
    });
    results.push({
      name: nameParts.join('/'),
      params,
      samples,
      summary: { nsPerOp: summarize(samples.map((s) => s.nsPerOp)) },
      source,
    });
  }
  return results;
}
