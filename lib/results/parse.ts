/**
 * Reads a results document and checks its shape once, at the edge, so every
 * report and `compare` can trust the types. Every failure is a
 * `ResultsFormatError` whose message names the file, the JSON path of the
 * field (`benchmarks[3].samples[0].nsPerOp`), what was found and what is
 * expected. Unknown extra fields are allowed (a newer writer of the same
 * schema version may add optional fields); a different `schema` is not.
 */
import { readFile } from 'node:fs/promises';
import { ResultsFormatError } from '../errors.js';
import { describeValue } from '../validate.js';
import type { BenchmarkParams, EventState, ResultsDocument, Sample } from './schema.js';
import {
  FINDING_KINDS,
  MAX_CODE_COPY,
  MAX_DATA_OFFSET,
  MAX_PROCESSES,
  MAX_STACK_OFFSET,
  READABLE_SCHEMAS,
  SCHEMA_VERSION,
} from './schema.js';

const EVENT_STATES: readonly EventState[] = ['counted', 'not-counted', 'not-supported', 'denied', 'error'];

/** Largest thread and core count a document may name (far above any machine; a guard against garbage). */
const MAX_THREADS = 1 << 16;
/** Largest object size a document may name: 1 TiB, the largest slab poolscope allows. */
const MAX_OBJECT_SIZE = 2 ** 40;

/** Relative tolerance of the consistency checks: JSON keeps doubles exactly, so this only absorbs arithmetic rounding. */
const REL_TOLERANCE = 1e-6;

/** a ≈ b within {@link REL_TOLERANCE} (relative to the larger). */
function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= REL_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

/** Walks one document, carrying the file name and the path of the field being checked. */
class Checker {
  constructor(private readonly where: string) {}

  fail(path: string, found: unknown, expected: string): never {
    throw new ResultsFormatError(
      'ERR_RESULTS_FORMAT',
      `${this.where}: ${path} is ${describeValue(found)}; expected ${expected}`,
    );
  }

  /** A field whose value has the right shape but contradicts another field. */
  inconsistent(benchmark: string, path: string, found: number, expected: string): never {
    throw new ResultsFormatError(
      'ERR_RESULTS_INCONSISTENT',
      `${this.where}: benchmark ${JSON.stringify(benchmark)}: ${path} is ${found}; expected ${expected}`,
    );
  }

  /** A plain object, as JSON.parse makes them (not an array, a Date, a Map or a null-prototype object). */
  object(path: string, value: unknown): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(path, value, 'an object');
    if (Object.getPrototypeOf(value) !== Object.prototype)
      this.fail(path, 'an object of another kind', 'a plain object');
    return value as Record<string, unknown>;
  }

  /** An array without holes (a sparse array would reach the renderers as undefined elements). */
  array(path: string, value: unknown): unknown[] {
    if (!Array.isArray(value)) this.fail(path, value, 'an array');
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) this.fail(`${path}[${i}]`, 'a hole', `an array without holes (${value.length} slots)`);
    }
    return value;
  }

  string(path: string, value: unknown): string {
    if (typeof value !== 'string') this.fail(path, value, 'a string');
    return value;
  }

  boolean(path: string, value: unknown): boolean {
    if (typeof value !== 'boolean') this.fail(path, value, 'true or false');
    return value;
  }

  /** A finite number ≥ min (JSON has no NaN/Infinity: JSON.stringify writes them as null). */
  number(path: string, value: unknown, min = Number.NEGATIVE_INFINITY): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
      this.fail(path, value, min === Number.NEGATIVE_INFINITY ? 'a finite number' : `a finite number ≥ ${min}`);
    }
    return value;
  }

  /** A finite number > 0. */
  positive(path: string, value: unknown): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
      this.fail(path, value, 'a finite number > 0');
    return value;
  }

  /** A finite number, or null where the writer had nothing to compute it from (JSON's NaN). */
  numberOrNull(path: string, value: unknown): number | null {
    return value === null ? null : this.number(path, value);
  }

  /** An integer from min to max (at most 2^53 − 1: beyond that a double no longer holds every integer). */
  integer(path: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      this.fail(
        path,
        value,
        max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`,
      );
    }
    return value;
  }

  oneOf(path: string, value: unknown, accepted: readonly string[]): string {
    if (typeof value !== 'string' || !accepted.includes(value)) {
      this.fail(path, value, `one of ${accepted.map((a) => `"${a}"`).join(', ')}`);
    }
    return value;
  }

  optional<T>(path: string, value: unknown, check: (path: string, value: unknown) => T): void {
    if (value !== undefined) check(path, value);
  }
}

/** What the document's version changes in the checks. */
interface Reading {
  version: number;
  /** config.processes (1 when absent): bounds each sample's `process`. */
  processes: number;
}

function checkStatistics(c: Checker, path: string, value: unknown): Record<string, unknown> {
  const s = c.object(path, value);
  c.integer(`${path}.n`, s.n, 0);
  // A summary of zero samples holds NaN, which JSON writes as null.
  const num = (k: string) =>
    s.n === 0 && (s[k] === null || Number.isNaN(s[k])) ? undefined : c.number(`${path}.${k}`, s[k]);
  for (const k of ['median', 'mean', 'min', 'max', 'stddev', 'ciLow', 'ciHigh']) num(k);
  return s;
}

/** The summary adds up to the samples: same count, same min, median and max, and the ordering of its figures. */
function checkSummaryAgainstSamples(c: Checker, name: string, path: string, s: Record<string, unknown>, ns: number[]) {
  if (s.n !== ns.length) c.inconsistent(name, `${path}.n`, s.n as number, `samples.length = ${ns.length}`);
  if (ns.length === 0) return;
  const sorted = [...ns].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const med =
    sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  const expect = (k: string, v: number, what: string) => {
    if (!close(s[k] as number, v)) c.inconsistent(name, `${path}.${k}`, s[k] as number, `${what} = ${v}`);
  };
  expect('min', sorted[0] as number, 'the smallest sample nsPerOp');
  expect('max', sorted[sorted.length - 1] as number, 'the largest sample nsPerOp');
  expect('median', med, 'the median of the samples');
  const min = sorted[0] as number;
  const max = sorted[sorted.length - 1] as number;
  for (const k of ['mean', 'ciLow', 'ciHigh']) {
    const v = s[k] as number;
    if (v < min * (1 - REL_TOLERANCE) || v > max * (1 + REL_TOLERANCE)) {
      c.inconsistent(name, `${path}.${k}`, v, `a value within the samples' range ${min}–${max}`);
    }
  }
  if ((s.ciLow as number) > med * (1 + REL_TOLERANCE) || (s.ciHigh as number) < med * (1 - REL_TOLERANCE)) {
    c.inconsistent(name, `${path}.ciLow`, s.ciLow as number, `an interval ciLow ≤ median ≤ ciHigh around ${med}`);
  }
  c.number(`${path}.stddev`, s.stddev, 0);
}

function checkSample(
  c: Checker,
  r: Reading,
  b: { name: string; threads: number; imported: boolean },
  path: string,
  value: unknown,
): number {
  const s = c.object(path, value);
  const ops = c.positive(`${path}.ops`, s.ops);
  const elapsedNs = c.positive(`${path}.elapsedNs`, s.elapsedNs);
  const nsPerOp = c.positive(`${path}.nsPerOp`, s.nsPerOp);
  // nsPerOp is per worker: wall × threads ÷ ops. Schema 1 stored Go's ns/op (wall ÷ ops) for
  // benchmarks imported from `go test`; those are upgraded on read (see upgradeSchema1).
  const perWorker = (elapsedNs * b.threads) / ops;
  const goStyle = r.version === 1 && b.imported && close(nsPerOp, elapsedNs / ops);
  if (!close(nsPerOp, perWorker) && !goStyle) {
    c.inconsistent(b.name, `${path}.nsPerOp`, nsPerOp, `elapsedNs × threads ÷ ops = ${perWorker}`);
  }
  c.optional(`${path}.tscCyclesPerOp`, s.tscCyclesPerOp, (p, v) => c.number(p, v, 0));
  c.optional(`${path}.sources`, s.sources, (p, v) => {
    const src = c.object(p, v);
    for (const k of ['private', 'shared', 'steal', 'victim', 'new']) c.number(`${p}.${k}`, src[k], 0);
  });
  c.optional(`${path}.puts`, s.puts, (p, v) => c.number(p, v, 0));
  c.optional(`${path}.drops`, s.drops, (p, v) => c.number(p, v, 0));
  const counters = c.object(`${path}.counters`, s.counters);
  for (const [name, reading] of Object.entries(counters)) {
    const p = `${path}.counters[${JSON.stringify(name)}]`;
    const rd = c.object(p, reading);
    // null, both: the event was not counted (see CounterValue)
    if (rd.value === null && rd.scaled !== null) c.fail(`${p}.scaled`, rd.scaled, 'null, as value (not counted)');
    const raw = rd.value === null ? null : c.number(`${p}.value`, rd.value, 0);
    const scaled = rd.value === null && rd.scaled === null ? null : c.number(`${p}.scaled`, rd.scaled, 0);
    const running = c.number(`${p}.runningPct`, rd.runningPct, 0);
    if (running > 100 * (1 + REL_TOLERANCE)) c.inconsistent(b.name, `${p}.runningPct`, running, 'a percentage ≤ 100');
    // Scaling multiplies by enabled ÷ running ≥ 1.
    if (raw !== null && scaled !== null && scaled < raw * (1 - REL_TOLERANCE)) {
      c.inconsistent(b.name, `${p}.scaled`, scaled, `≥ value (${raw})`);
    }
  }
  c.optional(`${path}.perWorkerNsPerOp`, s.perWorkerNsPerOp, (p, v) =>
    // null: a worker that did no operation (its ns/op is NaN).
    c.array(p, v).forEach((x, i) => {
      if (x !== null) c.number(`${p}[${i}]`, x, 0);
    }),
  );
  c.optional(`${path}.metrics`, s.metrics, (p, v) => {
    for (const [unit, x] of Object.entries(c.object(p, v))) c.number(`${p}[${JSON.stringify(unit)}]`, x);
  });
  c.optional(`${path}.placement`, s.placement, (p, v) => checkSamplePlacement(c, p, v));
  c.optional(`${path}.process`, s.process, (p, v) => checkStep(c, p, v, 1, r.processes - 1));
  return nsPerOp;
}

/** An integer multiple of `step` from 0 to `max`. */
function checkStep(c: Checker, path: string, value: unknown, step: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max || value % step !== 0) {
    c.fail(path, value, step === 1 ? `an integer from 0 to ${max}` : `a multiple of ${step} from 0 to ${max}`);
  }
}

function checkSamplePlacement(c: Checker, path: string, value: unknown): void {
  const p = c.object(path, value);
  checkStep(c, `${path}.stackOffset`, p.stackOffset, 16, MAX_STACK_OFFSET);
  checkStep(c, `${path}.dataOffset`, p.dataOffset, 64, MAX_DATA_OFFSET);
  checkStep(c, `${path}.codeCopy`, p.codeCopy, 1, MAX_CODE_COPY);
}

function checkRunPlacement(c: Checker, path: string, value: unknown): void {
  const p = c.object(path, value);
  c.boolean(`${path}.randomized`, p.randomized);
  checkStep(c, `${path}.seed`, p.seed, 1, 0xffffffff);
}

function checkBenchmark(c: Checker, r: Reading, path: string, value: unknown): void {
  const b = c.object(path, value);
  const name = c.string(`${path}.name`, b.name);
  if (name.length === 0 || /\s/.test(name)) c.fail(`${path}.name`, name, 'a non-empty name without spaces');
  const params = c.object(`${path}.params`, b.params);
  c.string(`${path}.params.scenario`, params.scenario);
  c.string(`${path}.params.pool`, params.pool);
  c.optional(`${path}.params.layout`, params.layout, (p, v) => c.string(p, v));
  c.optional(`${path}.params.publish`, params.publish, (p, v) => c.string(p, v));
  const threads = c.integer(`${path}.params.threads`, params.threads, 1, MAX_THREADS);
  c.integer(`${path}.params.objectSize`, params.objectSize, 0, MAX_OBJECT_SIZE);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      c.fail(`${path}.params.${k}`, v, 'a string, number or boolean');
    }
    if (typeof v === 'number' && !Number.isFinite(v)) c.fail(`${path}.params.${k}`, v, 'a finite number');
  }
  c.optional(`${path}.source`, b.source, (p, v) => c.string(p, v));
  const who = { name, threads, imported: b.source !== undefined };
  const ns = c.array(`${path}.samples`, b.samples).map((s, i) => checkSample(c, r, who, `${path}.samples[${i}]`, s));
  const summary = c.object(`${path}.summary`, b.summary);
  const stats = checkStatistics(c, `${path}.summary.nsPerOp`, summary.nsPerOp);
  checkSummaryAgainstSamples(c, name, `${path}.summary.nsPerOp`, stats, ns);
  c.optional(`${path}.interrupted`, b.interrupted, (p, v) => c.boolean(p, v));
  c.optional(`${path}.spread`, b.spread, (p, v) => {
    const sp = c.object(p, v);
    c.number(`${p}.pct`, sp.pct, 0);
    c.number(`${p}.logSd`, sp.logSd, 0);
    c.boolean(`${p}.placement`, sp.placement);
  });
}

const DIMENSIONS = ['layout', 'publish', 'pool', 'victim'] as const;

function checkSide(c: Checker, path: string, value: unknown): void {
  const s = c.object(path, value);
  c.string(`${path}.benchmark`, s.benchmark);
  c.string(`${path}.label`, s.label);
  c.numberOrNull(`${path}.nsPerOp`, s.nsPerOp);
  c.integer(`${path}.n`, s.n, 0);
}

function checkContext(c: Checker, path: string, value: unknown): void {
  const x = c.object(path, value);
  c.integer(`${path}.threads`, x.threads, 1);
  c.integer(`${path}.objectSize`, x.objectSize, 0);
  c.optional(`${path}.batch`, x.batch, (p, v) => c.number(p, v));
  c.optional(`${path}.clearEvery`, x.clearEvery, (p, v) => c.number(p, v));
  for (const k of ['layout', 'publish', 'pattern']) c.optional(`${path}.${k}`, x[k], (p, v) => c.string(p, v));
}

/** One stored finding (schema 2): its kind and the fields that kind has. */
function checkFinding(c: Checker, path: string, value: unknown): void {
  const f = c.object(path, value);
  const kind = c.oneOf(`${path}.kind`, f.kind, FINDING_KINDS);
  c.string(`${path}.scenario`, f.scenario);
  const contrastFields = () => {
    c.oneOf(`${path}.dimension`, f.dimension, DIMENSIONS);
    checkSide(c, `${path}.base`, f.base);
    checkSide(c, `${path}.other`, f.other);
    checkContext(c, `${path}.context`, f.context);
    c.oneOf(`${path}.scale`, f.scale, ['ratio', 'difference']);
    for (const k of ['estimate', 'ciLow', 'ciHigh', 'p', 'spreadPct']) c.numberOrNull(`${path}.${k}`, f[k]);
    c.boolean(`${path}.placementRandomized`, f.placementRandomized);
    c.boolean(`${path}.busy`, f.busy);
    c.optional(`${path}.processes`, f.processes, (p, v) => c.integer(p, v, 2, MAX_PROCESSES));
    c.optional(`${path}.hitRates`, f.hitRates, (p, v) => {
      const h = c.object(p, v);
      c.number(`${p}.base`, h.base);
      c.number(`${p}.other`, h.other);
    });
  };
  switch (kind) {
    case 'effect':
      contrastFields();
      c.boolean(`${path}.withinSpread`, f.withinSpread);
      c.optional(`${path}.cause`, f.cause, (p, v) => c.oneOf(p, v, ['false-sharing']));
      c.optional(`${path}.overlap`, f.overlap, (p, v) => c.numberOrNull(p, v));
      return;
    case 'not-significant':
      contrastFields();
      c.boolean(`${path}.tooFewSamples`, f.tooFewSamples);
      return;
    case 'placement':
      contrastFields();
      c.boolean(`${path}.significant`, f.significant);
      return;
    case 'not-exercised':
      c.oneOf(`${path}.dimension`, f.dimension, DIMENSIONS);
      checkSide(c, `${path}.base`, f.base);
      checkSide(c, `${path}.other`, f.other);
      checkContext(c, `${path}.context`, f.context);
      c.oneOf(`${path}.reason`, f.reason, ['no-shared-pushes']);
      c.numberOrNull(`${path}.baseValue`, f.baseValue);
      c.numberOrNull(`${path}.otherValue`, f.otherValue);
      return;
    case 'figure':
      c.oneOf(`${path}.figure`, f.figure, ['handoff']);
      c.string(`${path}.benchmark`, f.benchmark);
      c.string(`${path}.label`, f.label);
      checkContext(c, `${path}.context`, f.context);
      for (const k of ['nsPerOp', 'ciLow', 'ciHigh', 'stealsPerOp']) c.numberOrNull(`${path}.${k}`, f[k]);
      c.integer(`${path}.n`, f.n, 0);
      return;
    case 'measurement': {
      c.oneOf(`${path}.scenario`, f.scenario, ['measurement']);
      const issue = c.oneOf(`${path}.issue`, f.issue, ['busy', 'not-randomized']);
      if (issue === 'not-randomized') {
        c.integer(`${path}.effects`, f.effects, 0);
        return;
      }
      c.array(`${path}.benchmarks`, f.benchmarks).forEach((x, i) => {
        const p = `${path}.benchmarks[${i}]`;
        const bb = c.object(p, x);
        c.string(`${p}.benchmark`, bb.benchmark);
        for (const k of ['onCpu', 'cpuNsPerOp', 'nsPerOp']) c.numberOrNull(`${p}.${k}`, bb[k]);
      });
      c.integer(`${path}.measured`, f.measured, 0);
      c.number(`${path}.threshold`, f.threshold);
      return;
    }
  }
}

/**
 * A schema-1 document as schema 2: its findings (sentences) are dropped, to
 * be computed again from the samples; samples imported from `go test` at
 * GOMAXPROCS > 1 stored Go's ns/op (wall ÷ iterations) with ops = iterations,
 * and get the per-worker convention (ops counted per worker, as lib/peers/go-bench.ts now does).
 */
function upgradeSchema1(doc: Record<string, unknown>): Record<string, unknown> {
  const benchmarks = (doc.benchmarks as Array<Record<string, unknown>>).map((b) => {
    const params = b.params as BenchmarkParams;
    if (b.source === undefined || params.threads === 1) return b;
    const samples = (b.samples as Sample[]).map((s) =>
      close(s.nsPerOp, s.elapsedNs / s.ops) ? { ...s, ops: s.ops * params.threads } : s,
    );
    return { ...b, samples };
  });
  const { findings: _sentences, ...rest } = doc;
  return { ...rest, schema: SCHEMA_VERSION, benchmarks };
}

/** Checks `value` and returns it typed; throws `ResultsFormatError` at the first field of the wrong shape. */
export function validateResults(value: unknown, fileName = 'results document'): ResultsDocument {
  const c = new Checker(fileName);
  const doc = c.object('(document)', value);
  // Identity first: a foreign file should say so, not complain about its first odd field.
  const tool = doc.tool;
  const toolName = typeof tool === 'object' && tool !== null ? (tool as Record<string, unknown>).name : undefined;
  if (toolName !== 'poolscope') {
    throw new ResultsFormatError(
      'ERR_RESULTS_FOREIGN',
      `${fileName}: not a poolscope results document (tool.name is ${describeValue(toolName)}; expected "poolscope")`,
    );
  }
  if (typeof doc.schema !== 'number' || !READABLE_SCHEMAS.includes(doc.schema)) {
    throw new ResultsFormatError(
      'ERR_RESULTS_VERSION',
      `${fileName}: schema is ${describeValue(doc.schema)}; this poolscope reads schema ${READABLE_SCHEMAS.join(' and ')} only ` +
        '(rerun the benchmarks, or use the poolscope version that wrote the file)',
    );
  }
  const reading: Reading = { version: doc.schema, processes: 1 };
  c.string('tool.version', (tool as Record<string, unknown>).version);
  c.string('startedAt', doc.startedAt);
  const machine = c.object('machine', doc.machine);
  for (const k of ['cpuModel', 'kernel', 'node', 'compiler', 'os', 'arch']) c.string(`machine.${k}`, machine[k]);
  c.integer('machine.logicalCores', machine.logicalCores, 1, MAX_THREADS);
  if (machine.perfEventParanoid !== null) {
    c.integer('machine.perfEventParanoid', machine.perfEventParanoid, Number.MIN_SAFE_INTEGER);
  }
  c.boolean('machine.pmu', machine.pmu);
  c.array('events', doc.events).forEach((e, i) => {
    const ev = c.object(`events[${i}]`, e);
    c.string(`events[${i}].name`, ev.name);
    c.oneOf(`events[${i}].state`, ev.state, EVENT_STATES);
    c.optional(`events[${i}].reason`, ev.reason, (p, v) => c.string(p, v));
  });
  const config = c.object('config', doc.config);
  c.optional('config.placement', config.placement, (p, v) => checkRunPlacement(c, p, v));
  c.optional('config.processes', config.processes, (p, v) => {
    reading.processes = c.integer(p, v, 1, MAX_PROCESSES);
  });
  c.array('benchmarks', doc.benchmarks).forEach((b, i) => {
    checkBenchmark(c, reading, `benchmarks[${i}]`, b);
  });
  c.optional('interrupted', doc.interrupted, (p, v) => c.boolean(p, v));
  if (reading.version === 1) return upgradeSchema1(doc) as unknown as ResultsDocument;
  c.optional('findings', doc.findings, (p, v) =>
    c.array(p, v).forEach((f, i) => {
      checkFinding(c, `${p}[${i}]`, f);
    }),
  );
  return doc as unknown as ResultsDocument;
}

/**
 * Parses a results document from JSON text (or checks an already-parsed
 * object). Throws `ResultsFormatError` naming `fileName`, the JSON path of the
 * first bad field, what was found and what is expected.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { parseResults } from 'poolscope';
 *
 * const doc = parseResults(readFileSync('upload.json', 'utf8'), 'upload.json');
 * console.log(doc.machine.cpuModel, doc.benchmarks.length);
 * ```
 */
export function parseResults(input: string | object, fileName = 'results document'): ResultsDocument {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (err) {
      throw new ResultsFormatError(
        'ERR_RESULTS_NOT_JSON',
        `${fileName}: not JSON (${err instanceof Error ? err.message : String(err)}); expected a poolscope results document`,
        { cause: err },
      );
    }
  }
  return validateResults(value, fileName);
}

/**
 * Reads and parses a results file. A malformed file throws
 * `ResultsFormatError`; a missing/unreadable one keeps Node's error (code
 * `ENOENT`, `EACCES`, …).
 *
 * @example
 * ```ts
 * import { readResultsFile } from 'poolscope';
 *
 * const doc = await readResultsFile('bench-out/results.json');
 * console.log(doc.machine.cpuModel, doc.benchmarks.length);
 * ```
 */
export async function readResultsFile(path: string): Promise<ResultsDocument> {
  const text = await readFile(path, 'utf8');
  return parseResults(text, path);
}
