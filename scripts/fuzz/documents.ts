/**
 * Results documents that are wrong by construction: a valid synthetic
 * document (test/fixtures) with one required field given the wrong type, one
 * number made inconsistent with the others, or an array made sparse. Also
 * "anything" mutations whose validity the reader decides (an optional field
 * replaced): those count as valid when accepted, but must still render.
 */
import type { ResultsDocument } from '../../lib/index.js';
import { jitter, makeBenchmark, makeDocument } from '../../test/fixtures/results.js';
import { anyValue, type FieldKind, pick, type Rng, wrongValue } from './garbage.js';

export interface DocumentCase {
  /** What was done to the document, for the report's examples. */
  label: string;
  /** True when no reader may accept it. */
  wrong: boolean;
  /** The document, as an object (JSON-compatible unless the mutation says otherwise). */
  doc: unknown;
}

function baseDocument(): ResultsDocument {
  return makeDocument([
    makeBenchmark({ scenario: 'get-put', pool: 'sync', layout: 'pad128', publish: 'xadd' }, jitter(1.6, 6, 1)),
    makeBenchmark(
      { scenario: 'batch', pool: 'sync', layout: 'pad128', publish: 'mfence', batch: 16, threads: 2 },
      jitter(19, 6, 2),
      { sources: { private: 0.0625, shared: 0.9375 } },
    ),
  ]);
}

type Json = Record<string, unknown>;
const at = (o: unknown, ...path: (string | number)[]): Json =>
  path.reduce<unknown>((v, k) => (v as Json)[k as string], o) as Json;

/** Required leaves: [path to the parent, key, kind]. `B`/`S` stand for a benchmark and a sample index. */
const REQUIRED: readonly [readonly (string | number)[], string, FieldKind][] = [
  [[], 'schema', 'int'],
  [[], 'tool', 'object'],
  [['tool'], 'version', 'string'],
  [[], 'startedAt', 'string'],
  [[], 'machine', 'object'],
  [['machine'], 'cpuModel', 'string'],
  [['machine'], 'logicalCores', 'int'],
  [[], 'events', 'array'],
  [[], 'benchmarks', 'array'],
  [['benchmarks', 'B'], 'name', 'string'],
  [['benchmarks', 'B'], 'params', 'object'],
  [['benchmarks', 'B', 'params'], 'scenario', 'string'],
  [['benchmarks', 'B', 'params'], 'threads', 'int'],
  [['benchmarks', 'B', 'params'], 'objectSize', 'int'],
  [['benchmarks', 'B'], 'samples', 'array'],
  [['benchmarks', 'B', 'samples', 'S'], 'ops', 'int'],
  [['benchmarks', 'B', 'samples', 'S'], 'elapsedNs', 'number'],
  [['benchmarks', 'B', 'samples', 'S'], 'nsPerOp', 'number'],
  [['benchmarks', 'B', 'samples', 'S'], 'counters', 'object'],
  [['benchmarks', 'B'], 'summary', 'object'],
  [['benchmarks', 'B', 'summary', 'nsPerOp'], 'median', 'number'],
  [['benchmarks', 'B', 'summary', 'nsPerOp'], 'n', 'int'],
];

/** Breaks one relation between numbers that a reader must check (issue: results that add up). */
const sample = (d: Json, b: number, s: number) => at(d, 'benchmarks', b, 'samples', s);
const summary = (d: Json, b: number) => at(d, 'benchmarks', b, 'summary', 'nsPerOp');
const INCONSISTENT: readonly [string, (d: Json, b: number, s: number) => void][] = [
  [
    'nsPerOp != elapsedNs/ops',
    (d, b, s) => {
      sample(d, b, s).nsPerOp = 1.5 * (sample(d, b, s).nsPerOp as number);
    },
  ],
  [
    'summary.n != samples.length',
    (d, b) => {
      summary(d, b).n = 10;
    },
  ],
  [
    'no samples, summary kept',
    (d, b) => {
      at(d, 'benchmarks', b).samples = [];
    },
  ],
  [
    'runningPct > 100',
    (d, b, s) => {
      for (const c of Object.values(at(sample(d, b, s), 'counters'))) (c as Json).runningPct = 150;
    },
  ],
  [
    'ops = 0 with nsPerOp > 0',
    (d, b, s) => {
      sample(d, b, s).ops = 0;
    },
  ],
  ['nsPerOp = 0', (d, b, s) => Object.assign(sample(d, b, s), { nsPerOp: 0, elapsedNs: 0 })],
  [
    'negative elapsedNs',
    (d, b, s) => {
      sample(d, b, s).elapsedNs = -5;
    },
  ],
  [
    'median outside [min, max]',
    (d, b) => {
      summary(d, b).median = 1e9;
    },
  ],
  [
    'sparse benchmarks',
    (d) => {
      (d.benchmarks as unknown[])[5] = (d.benchmarks as unknown[])[0];
    },
  ],
  [
    'sparse samples',
    (d, b) => {
      (at(d, 'benchmarks', b).samples as unknown[])[9] = 1;
    },
  ],
  [
    'schema from the future',
    (d) => {
      d.schema = 999;
    },
  ],
  [
    'another tool',
    (d) => {
      at(d, 'tool').name = 'benchstat';
    },
  ],
];

/** Every path in a JSON tree, for "anything" mutations. */
function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (v !== null && typeof v === 'object') {
    for (const [k, c] of Object.entries(v)) {
      const p = [...prefix, Array.isArray(v) ? Number(k) : k];
      out.push(p);
      paths(c, p, out);
    }
  }
  return out;
}

export function documentCase(rng: Rng): DocumentCase {
  const doc = baseDocument() as unknown as Json;
  const b = Math.floor(rng() * 2);
  const s = Math.floor(rng() * 6);
  const r = rng();
  if (r < 0.4) {
    const [parent, key, kind] = pick(rng, REQUIRED);
    const resolved = parent.map((p) => (p === 'B' ? b : p === 'S' ? s : p));
    const value = rng() < 0.2 ? undefined : wrongValue(rng, kind);
    const host = at(doc, ...resolved);
    if (value === undefined) delete host[key];
    else host[key] = value;
    return { label: `${[...resolved, key].join('.')} = ${typeof value}`, wrong: true, doc };
  }
  if (r < 0.7) {
    const [label, apply] = pick(rng, INCONSISTENT);
    apply(doc, b, s);
    return { label, wrong: true, doc };
  }
  if (r < 0.8) return { label: 'not a document', wrong: true, doc: wrongValue(rng, 'object') };
  const p = pick(rng, paths(doc));
  const key = p.pop() as string;
  at(doc, ...p)[key] = anyValue(rng);
  return { label: `anything at ${[...p, key].join('.')}`, wrong: false, doc };
}
