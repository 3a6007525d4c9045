/**
 * Go benchmark text back into a results document, so `compare` reads the
 * `bench.txt` poolscope writes (and `go test -bench` output) as well as
 * results.json. Each `BenchmarkName[-N]` is one benchmark, each line one
 * sample. Params come from the name's `/key=value` parts. The sample's
 * nsPerOp is `thread-ns/op` when the line has it (poolscope's own text),
 * else Go's ns/op × N ÷ (ops per iteration) — the document's per-worker
 * convention either way, so a bench.txt and a results.json of the same run
 * compare as equal.
 */

import { ResultsFormatError } from '../errors.js';
import { parseGoBench, scenarioOfCamel } from '../peers/go-bench.js';
import type { BenchmarkParams, BenchmarkResult, ResultsDocument, Sample } from '../results/schema.js';
import { SCHEMA_VERSION } from '../results/schema.js';
import { summarize } from '../stats.js';
import { opsPerIteration } from './gobench.js';

/** `tool.version` of a document read from Go text: it knows the CPU model, not the rest of the machine. */
export const GO_TEXT_VERSION = 'from Go benchmark text';

/** Node's `process.arch` for Go's GOARCH. */
const ARCH: Record<string, string> = { amd64: 'x64', '386': 'ia32', ppc64le: 'ppc64' };

function paramValue(v: string): string | number | boolean {
  if (v === 'true' || v === 'false') return v === 'true';
  const n = Number(v);
  return v !== '' && Number.isFinite(n) ? n : v;
}

/** True when the text looks like Go benchmark output (a `Benchmark…` result line), not JSON. */
export function looksLikeGoBench(text: string): boolean {
  return /^\s*Benchmark\S+\s+\d+\s/m.test(text) && !/^\s*[{[]/.test(text);
}

/**
 * A results document from Go benchmark text. Throws `ResultsFormatError`
 * (naming the file) when the text holds no result line, and
 * `GoBenchFormatError` for a malformed one.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { goBenchTextToDocument } from 'poolscope';
 *
 * const doc = goBenchTextToDocument(readFileSync('bench-out/bench.txt', 'utf8'), 'bench.txt');
 * console.log(doc.benchmarks.length, doc.machine.cpuModel);
 * ```
 */
export function goBenchTextToDocument(text: string, fileName = 'Go benchmark text'): ResultsDocument {
  const lines = parseGoBench(text);
  if (lines.length === 0) {
    throw new ResultsFormatError(
      'ERR_RESULTS_FORMAT',
      `${fileName}: no benchmark result line; expected a poolscope results document or Go benchmark text (BenchmarkName-N  iterations  value ns/op …)`,
    );
  }
  const config = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const m = /^([a-z][a-z0-9-]*):\s*(.*)$/.exec(raw.trim());
    if (m?.[1] !== undefined && m[2] !== undefined && !config.has(m[1])) config.set(m[1], m[2]);
  }
  const groups = new Map<string, BenchmarkResult>();
  for (const l of lines) {
    const key = `${l.name}-${l.procs}`;
    let b = groups.get(key);
    if (!b) {
      const [camel = '', ...parts] = l.name.split('/');
      const params: BenchmarkParams = {
        scenario: scenarioOfCamel(camel),
        pool: 'unknown',
        threads: l.procs,
        objectSize: 64,
      };
      for (const part of parts) {
        const eq = part.indexOf('=');
        const k = eq > 0 ? part.slice(0, eq) : part;
        const v = eq > 0 ? paramValue(part.slice(eq + 1)) : true;
        if (k === 'objectSize' && typeof v === 'number' && Number.isInteger(v) && v >= 0) params.objectSize = v;
        else if (k === 'threads' || k === 'scenario') continue;
        else params[k] = v;
      }
      b = { name: l.name, params, samples: [], summary: { nsPerOp: summarize([]) }, source: fileName };
      groups.set(key, b);
    }
    const per = opsPerIteration(b.params.scenario);
    const ops = l.iterations * per;
    const perWorker = l.metrics['thread-ns/op'] ?? (l.nsPerOp * l.procs) / per;
    const { 'thread-ns/op': _t, ...metrics } = l.metrics;
    // elapsedNs from the per-worker figure, so the sample adds up (nsPerOp = elapsedNs × threads ÷ ops).
    const sample: Sample = { ops, elapsedNs: (perWorker * ops) / l.procs, nsPerOp: perWorker, counters: {} };
    if (Object.keys(metrics).length > 0) sample.metrics = metrics;
    b.samples.push(sample);
  }
  const benchmarks = [...groups.values()].map((b) => ({
    ...b,
    summary: { nsPerOp: summarize(b.samples.map((s) => s.nsPerOp)) },
  }));
  for (const b of benchmarks) {
    const bad = b.samples.find((s) => !(s.nsPerOp > 0));
    if (bad) {
      throw new ResultsFormatError(
        'ERR_RESULTS_FORMAT',
        `${fileName}: benchmark ${JSON.stringify(b.name)}: ns/op is ${bad.nsPerOp}; expected a number > 0`,
      );
    }
  }
  const goarch = config.get('goarch') ?? '';
  return {
    schema: SCHEMA_VERSION,
    tool: { name: 'poolscope', version: GO_TEXT_VERSION },
    startedAt: '',
    machine: {
      cpuModel: config.get('cpu') ?? 'unknown',
      logicalCores: 1,
      kernel: 'unknown',
      node: 'unknown',
      compiler: 'unknown',
      perfEventParanoid: null,
      os: config.get('goos') ?? 'unknown',
      arch: ARCH[goarch] ?? goarch,
      pmu: false,
    },
    events: [],
    config: { source: fileName },
    benchmarks,
  };
}
