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
import type { EventState, ResultsDocument } from './schema.js';
import { MAX_CODE_COPY, MAX_DATA_OFFSET, MAX_STACK_OFFSET, SCHEMA_VERSION } from './schema.js';

const EVENT_STATES: readonly EventState[] = ['counted', 'not-counted', 'not-supported', 'denied', 'error'];

/** Walks one document, carrying the file name and the path of the field being checked. */
class Checker {
  constructor(private readonly where: string) {}

  fail(path: string, found: unknown, expected: string): never {
    throw new ResultsFormatError(
      'ERR_RESULTS_FORMAT',
      `${this.where}: ${path} is ${describeValue(found)}; expected ${expected}`,
    );
  }

  object(path: string, value: unknown): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(path, value, 'an object');
    return value as Record<string, unknown>;
  }

  array(path: string, value: unknown): unknown[] {
    if (!Array.isArray(value)) this.fail(path, value, 'an array');
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

  integer(path: string, value: unknown, min: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      this.fail(path, value, `an integer ≥ ${min}`);
    }
    return value;
  }

  optional<T>(path: string, value: unknown, check: (path: string, value: unknown) => T): void {
    if (value !== undefined) check(path, value);
  }
}

function checkStatistics(c: Checker, path: string, value: unknown): void {
  const s = c.object(path, value);
  c.integer(`${path}.n`, s.n, 0);
  // A summary of zero samples holds NaN, which JSON writes as null.
  const num = (k: string) => (s.n === 0 && s[k] === null ? undefined : c.number(`${path}.${k}`, s[k]));
  for (const k of ['median', 'mean', 'min', 'max', 'stddev', 'ciLow', 'ciHigh']) num(k);
}

function checkSample(c: Checker, path: string, value: unknown): void {
  const s = c.object(path, value);
  c.number(`${path}.ops`, s.ops, 0);
  c.number(`${path}.elapsedNs`, s.elapsedNs, 0);
  c.number(`${path}.nsPerOp`, s.nsPerOp, 0);
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
    const r = c.object(p, reading);
    // null, both: the event was not counted (see CounterValue)
    if (r.value === null && r.scaled !== null) c.fail(`${p}.scaled`, r.scaled, 'null, as value (not counted)');
    if (r.value !== null) c.number(`${p}.value`, r.value, 0);
    if (r.value !== null || r.scaled !== null) c.number(`${p}.scaled`, r.scaled, 0);
    c.number(`${p}.runningPct`, r.runningPct, 0);
  }
  c.optional(`${path}.perWorkerNsPerOp`, s.perWorkerNsPerOp, (p, v) =>
    c.array(p, v).forEach((x, i) => {
      c.number(`${p}[${i}]`, x, 0);
    }),
  );
  c.optional(`${path}.placement`, s.placement, (p, v) => checkSamplePlacement(c, p, v));
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

function checkBenchmark(c: Checker, path: string, value: unknown): void {
  const b = c.object(path, value);
  const name = c.string(`${path}.name`, b.name);
  if (name.length === 0 || /\s/.test(name)) c.fail(`${path}.name`, name, 'a non-empty name without spaces');
  const params = c.object(`${path}.params`, b.params);
  c.string(`${path}.params.scenario`, params.scenario);
  c.string(`${path}.params.pool`, params.pool);
  c.optional(`${path}.params.layout`, params.layout, (p, v) => c.string(p, v));
  c.optional(`${path}.params.publish`, params.publish, (p, v) => c.string(p, v));
  c.integer(`${path}.params.threads`, params.threads, 1);
  c.integer(`${path}.params.objectSize`, params.objectSize, 0);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      c.fail(`${path}.params.${k}`, v, 'a string, number or boolean');
    }
  }
  c.array(`${path}.samples`, b.samples).forEach((s, i) => {
    checkSample(c, `${path}.samples[${i}]`, s);
  });
  const summary = c.object(`${path}.summary`, b.summary);
  checkStatistics(c, `${path}.summary.nsPerOp`, summary.nsPerOp);
  c.optional(`${path}.source`, b.source, (p, v) => c.string(p, v));
  c.optional(`${path}.interrupted`, b.interrupted, (p, v) => c.boolean(p, v));
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
  if (doc.schema !== SCHEMA_VERSION) {
    throw new ResultsFormatError(
      'ERR_RESULTS_VERSION',
      `${fileName}: schema is ${describeValue(doc.schema)}; this poolscope reads schema ${SCHEMA_VERSION} only ` +
        '(rerun the benchmarks, or use the poolscope version that wrote the file)',
    );
  }
  c.string('tool.version', (tool as Record<string, unknown>).version);
  c.string('startedAt', doc.startedAt);
  const machine = c.object('machine', doc.machine);
  for (const k of ['cpuModel', 'kernel', 'node', 'compiler', 'os', 'arch']) c.string(`machine.${k}`, machine[k]);
  c.integer('machine.logicalCores', machine.logicalCores, 1);
  if (machine.perfEventParanoid !== null) {
    c.integer('machine.perfEventParanoid', machine.perfEventParanoid, Number.MIN_SAFE_INTEGER);
  }
  c.boolean('machine.pmu', machine.pmu);
  c.array('events', doc.events).forEach((e, i) => {
    const ev = c.object(`events[${i}]`, e);
    c.string(`events[${i}].name`, ev.name);
    if (!(EVENT_STATES as readonly unknown[]).includes(ev.state)) {
      c.fail(`events[${i}].state`, ev.state, `one of ${EVENT_STATES.map((s) => `"${s}"`).join(', ')}`);
    }
    c.optional(`events[${i}].reason`, ev.reason, (p, v) => c.string(p, v));
  });
  const config = c.object('config', doc.config);
  c.optional('config.placement', config.placement, (p, v) => checkRunPlacement(c, p, v));
  c.array('benchmarks', doc.benchmarks).forEach((b, i) => {
    checkBenchmark(c, `benchmarks[${i}]`, b);
  });
  c.optional('findings', doc.findings, (p, v) =>
    c.array(p, v).forEach((f, i) => {
      const fo = c.object(`${p}[${i}]`, f);
      c.string(`${p}[${i}].scenario`, fo.scenario);
      c.string(`${p}[${i}].text`, fo.text);
      c.boolean(`${p}[${i}].significant`, fo.significant);
    }),
  );
  c.optional('interrupted', doc.interrupted, (p, v) => c.boolean(p, v));
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
