/**
 * The public surfaces the fuzz drives, each as a generator of cases. A case
 * is wrong by construction (`wrong: true`: a valid call with exactly one
 * field made wrong, or a value of another kind) unless it says otherwise, so
 * a case that returns normally is accepted garbage.
 */
import {
  Counters,
  compareResults,
  measure,
  NativePool,
  parseResults,
  REPORT_FORMATS,
  renderReport,
  runStress,
  SharedBufferPool,
  SyncPool,
} from '../../lib/index.js';
import { documentCase } from './documents.js';
import { anyValue, type FieldKind, notAnObject, pick, type Rng, wrongValue } from './garbage.js';

export interface FuzzCase {
  label: string;
  wrong: boolean;
  run: () => unknown;
}

export interface Surface {
  name: string;
  make: (rng: Rng) => FuzzCase;
  /** Releases what the surface's cases share (pools kept across a batch). */
  close?: () => void;
}

type Fields = Record<string, FieldKind>;

/** `valid` with one field made wrong (or an unknown key added, or the whole thing replaced). */
function corrupt(rng: Rng, valid: Record<string, unknown>, fields: Fields): { label: string; value: unknown } {
  const r = rng();
  if (r < 0.1) return { label: 'unknown key', value: { ...valid, bogusKey: 1 } };
  if (r < 0.2) {
    const v = notAnObject(rng);
    return { label: `options = ${typeof v}`, value: v };
  }
  const key = pick(rng, Object.keys(fields));
  const v = wrongValue(rng, fields[key] as FieldKind);
  return { label: `${key} = ${describe(v)}`, value: { ...valid, [key]: v } };
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return String(v);
  return typeof v;
}

/** Renders an accepted document in every format: what a reader accepts must not crash a renderer. */
function renderAll(doc: Parameters<typeof renderReport>[0]): void {
  for (const f of REPORT_FORMATS) renderReport(doc, f);
}

/**
 * The document as JSON text, or undefined where JSON cannot carry the wrong
 * value as it is: a BigInt or a throwing getter, and a Date or a
 * null-prototype object, which JSON would turn into a valid string or `{}`.
 */
function jsonText(value: unknown): string | undefined {
  try {
    return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
      const raw = key === '' ? value : this[key];
      if (typeof raw === 'object' && raw !== null) {
        const proto = Object.getPrototypeOf(raw);
        if (proto !== Object.prototype && proto !== Array.prototype) throw new Error('not JSON-shaped');
      }
      return v;
    });
  } catch {
    return undefined;
  }
}

const resultsParse: Surface = {
  name: 'parseResults',
  make(rng) {
    const c = documentCase(rng);
    const asText = rng() < 0.3;
    return {
      label: c.label,
      wrong: c.wrong,
      // As text where JSON can carry the value (a BigInt or a throwing getter cannot be stringified: passed as is).
      run: () => renderAll(parseResults(asText ? (jsonText(c.doc) ?? (c.doc as object)) : (c.doc as object))),
    };
  },
};

const render: Surface = {
  name: 'renderReport',
  make(rng) {
    const c = documentCase(rng);
    const badFormat = rng() < 0.2;
    const format = badFormat ? wrongValue(rng, 'enum') : pick(rng, REPORT_FORMATS);
    return {
      label: badFormat ? `format = ${describe(format)}` : `${c.label} as ${String(format)}`,
      wrong: c.wrong || badFormat,
      run: () => renderReport(c.doc as Parameters<typeof renderReport>[0], format as 'text'),
    };
  },
};

const compare: Surface = {
  name: 'compareResults',
  make(rng) {
    const a = documentCase(rng);
    const b = documentCase(rng);
    const swap = rng() < 0.5;
    const [x, y] = swap ? [b.doc, a.doc] : [a.doc, b.doc];
    return {
      label: `${a.label} vs ${b.label}`,
      wrong: a.wrong || b.wrong,
      run: () => compareResults(x as Parameters<typeof compareResults>[0], y as Parameters<typeof compareResults>[1]),
    };
  },
};

const POOL_FIELDS: Fields = {
  pool: 'enum',
  layout: 'enum',
  publish: 'enum',
  objectSize: 'int',
  alignment: 'int',
  victim: 'bool',
  maxThreads: 'int',
};

let livePool: NativePool | undefined;
const nativePool: Surface = {
  name: 'NativePool',
  make(rng) {
    const r = rng();
    if (r < 0.5) {
      const { label, value } = corrupt(rng, { objectSize: 64 }, POOL_FIELDS);
      return {
        label: `create: ${label}`,
        wrong: true,
        run: () => NativePool.create(value as { objectSize: number }).destroy(),
      };
    }
    livePool ??= NativePool.create({ objectSize: 64 });
    const pool = livePool;
    if (r < 0.7) {
      const v = wrongValue(rng, pick(rng, ['int', 'object'] as const));
      return { label: `put(${describe(v)})`, wrong: true, run: () => pool.put(v as bigint) };
    }
    if (r < 0.85) {
      const { label, value } = corrupt(
        rng,
        { scenario: 'get-put', ops: 10 },
        { scenario: 'enum', ops: 'int', batch: 'int' },
      );
      return {
        label: `runLoop: ${label}`,
        wrong: true,
        run: () => pool.runLoop(value as { scenario: 'get-put'; ops: number }),
      };
    }
    const v = rng() < 0.5 ? wrongValue(rng, 'int') : 2 ** 31 + Math.floor(rng() * 1000);
    return { label: `attach(${describe(v)})`, wrong: true, run: () => NativePool.attach(v as number) };
  },
  close() {
    livePool?.destroy();
    livePool = undefined;
  },
};

const SBP_FIELDS: Fields = { blockSize: 'int', blocks: 'int', threadCacheSize: 'int', releaseCheck: 'enum' };
let liveSbp: SharedBufferPool | undefined;
let otherSbp: SharedBufferPool | undefined;
const sharedBufferPool: Surface = {
  name: 'SharedBufferPool',
  make(rng) {
    const r = rng();
    if (r < 0.35) {
      const { label, value } = corrupt(rng, { blockSize: 64, blocks: 8 }, SBP_FIELDS);
      return {
        label: `new: ${label}`,
        wrong: true,
        run: () => new SharedBufferPool(value as { blockSize: number; blocks: number }).close(),
      };
    }
    liveSbp ??= new SharedBufferPool({ blockSize: 64, blocks: 64 });
    otherSbp ??= new SharedBufferPool({ blockSize: 64, blocks: 64 });
    const pool = liveSbp;
    const other = otherSbp;
    if (r < 0.55) {
      const { label, value } = corrupt(
        rng,
        { ...pool.handle },
        {
          kind: 'enum',
          id: 'int',
          blockSize: 'int',
          blocks: 'int',
          threadCacheSize: 'int',
          releaseCheck: 'enum',
        },
      );
      return {
        label: `attach: ${label}`,
        wrong: true,
        run: () => SharedBufferPool.attach(value as typeof pool.handle).close(),
      };
    }
    // A foreign "block": each must be refused by release() and indexOf() with a typed error.
    const foreign: [string, () => unknown][] = [
      ['Proxy of a block', () => new Proxy(pool.acquire(), {})],
      ['Object.create(block)', () => Object.create(pool.acquire())],
      ['Buffer.alloc', () => Buffer.alloc(64)],
      ['block of another pool', () => other.acquire()],
      ['slice of a block', () => pool.acquire().subarray(1, 9)],
      [
        'released block',
        () => {
          const b = pool.acquire();
          pool.release(b);
          return b;
        },
      ],
      ['garbage', () => anyValue(rng)],
    ];
    const [what, make] = pick(rng, foreign);
    if (r < 0.8) return { label: `release(${what})`, wrong: true, run: () => pool.release(make() as Buffer) };
    if (r < 0.9) return { label: `indexOf(${what})`, wrong: true, run: () => pool.indexOf(make() as Buffer) };
    const v = rng() < 0.5 ? wrongValue(rng, 'int') : 64 + Math.floor(rng() * 100);
    return { label: `fromIndex(${describe(v)})`, wrong: true, run: () => pool.fromIndex(v as number) };
  },
  close() {
    liveSbp?.close();
    otherSbp?.close();
    liveSbp = otherSbp = undefined;
  },
};

const counters: Surface = {
  name: 'Counters/measure',
  make(rng) {
    const r = rng();
    if (r < 0.3) {
      const events = rng() < 0.5 ? wrongValue(rng, 'array') : ['task-clock', wrongValue(rng, 'string')];
      return {
        label: `open(events: ${describe(events)})`,
        wrong: true,
        run: () => Counters.open(events as string[]).close(),
      };
    }
    if (r < 0.45) {
      const names = ['task-clock', 'no-such-event', 'r', 'rZZZZ', 'cycles:q', `${'x'.repeat(5000)}`];
      const name = pick(rng, names.slice(1));
      return {
        label: `open([${name.slice(0, 20)}])`,
        wrong: true,
        run: () => Counters.open(['task-clock', name]).close(),
      };
    }
    if (r < 0.6) {
      const { label, value } = corrupt(rng, {}, { requireAll: 'bool' });
      return {
        label: `open options: ${label}`,
        wrong: true,
        run: () => Counters.open(['task-clock'], value as object).close(),
      };
    }
    if (r < 0.75) {
      const fn = wrongValue(rng, 'function');
      return { label: `measure(${describe(fn)})`, wrong: true, run: () => measure(fn as () => void) };
    }
    const { label, value } = corrupt(
      rng,
      { events: ['task-clock'], iterations: 10, warmup: 1 },
      { events: 'array', iterations: 'int', warmup: 'int', batchTimeMs: 'number' },
    );
    return { label: `measure options: ${label}`, wrong: true, run: () => measure(() => 1, value as object) };
  },
};

const syncPool: Surface = {
  name: 'SyncPool',
  make(rng) {
    const { label, value } = corrupt(
      rng,
      { create: () => ({}) },
      {
        create: 'function',
        reset: 'function',
        maxSize: 'int',
        sharedStats: 'object',
      },
    );
    return { label, wrong: true, run: () => new SyncPool(value as { create: () => object }) };
  },
};

const stress: Surface = {
  name: 'runStress',
  make(rng) {
    const valid = { scenario: 'get-put', ops: 1000, repeat: 1, warmup: 0, timeLimitMs: 5000 };
    const { label, value } = corrupt(rng, valid, {
      scenario: 'enum',
      pool: 'enum',
      layout: 'enum',
      publish: 'enum',
      threads: 'int',
      objectSize: 'int',
      batch: 'int',
      clearEvery: 'int',
      victim: 'bool',
      ops: 'int',
      durationMs: 'int',
      sampleMs: 'number',
      repeat: 'int',
      warmup: 'int',
      events: 'array',
      timeLimitMs: 'int',
      signal: 'object',
      onSample: 'function',
    });
    return { label, wrong: true, run: () => runStress(value as Parameters<typeof runStress>[0]) };
  },
};

export const SURFACES: readonly Surface[] = [
  resultsParse,
  render,
  compare,
  nativePool,
  sharedBufferPool,
  counters,
  syncPool,
  stress,
];
