/**
 * One definition of the limits and defaults (lib/limits.ts): the resolver
 * enforces exactly LIMITS and fills DEFAULTS, the JSDoc states them, the CLI
 * shows them and keeps no copy of its own; null is not "the default".
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveBounds, resolveSpec } from '../lib/harness/options.js';
import { runStress, runSuite } from '../lib/harness/run-suite.js';
import { DEFAULTS, LIMITS, type LimitName } from '../lib/limits.js';
import { cli } from './cli-run.js';

const SPEC_LIMITS: LimitName[] = ['threads', 'objectSize', 'batch', 'clearEvery'];
const BOUND_LIMITS: LimitName[] = ['ops', 'durationMs', 'sampleMs', 'repeat', 'warmup'];

describe('the resolver enforces LIMITS and fills DEFAULTS', () => {
  it.each(SPEC_LIMITS)('spec %s', (key) => {
    const { min, max } = LIMITS[key];
    const spec = (v: number) => ({ scenario: 'gc-churn', [key]: v });
    expect(resolveSpec('s', spec(min))[key as 'threads']).toBe(min);
    expect(resolveSpec('s', spec(max))[key as 'threads']).toBe(max);
    expect(() => resolveSpec('s', spec(min - 1))).toThrow(
      new RegExp(`s\\.${key} must be an integer from ${min} to ${max}`),
    );
    expect(() => resolveSpec('s', spec(max + 1))).toThrow(RangeError);
  });

  it.each(BOUND_LIMITS)('bounds %s', (key) => {
    const { min, max } = LIMITS[key];
    expect(resolveBounds('o', { [key]: min })[key as 'repeat']).toBe(min);
    expect(resolveBounds('o', { [key]: max })[key as 'repeat']).toBe(max);
    expect(() => resolveBounds('o', { [key]: min - 1 })).toThrow(
      new RegExp(`o\\.${key} must be an integer from ${min} to ${max}`),
    );
    expect(() => resolveBounds('o', { [key]: max + 1 })).toThrow(RangeError);
  });

  it('unset options take DEFAULTS', () => {
    expect(resolveSpec('s', { scenario: 'get-put' })).toEqual({
      scenario: 'get-put',
      pool: DEFAULTS.pool,
      layout: DEFAULTS.layout,
      publish: DEFAULTS.publish,
      threads: DEFAULTS.threads,
      objectSize: DEFAULTS.objectSize,
      batch: DEFAULTS.batch,
      clearEvery: DEFAULTS.clearEvery,
      victim: DEFAULTS.victim,
    });
    expect(resolveSpec('s', { scenario: 'alloc' }).pool).toBe(DEFAULTS.allocPool);
    expect(resolveSpec('s', { scenario: 'batch' }).batch).toBe(DEFAULTS.batchScenarioBatch);
    expect(resolveSpec('s', { scenario: 'producer-consumer' }).threads).toBe(DEFAULTS.pairThreads);
    expect(resolveBounds('o', {})).toEqual({
      ops: undefined,
      durationMs: undefined,
      sampleMs: DEFAULTS.sampleMs,
      repeat: DEFAULTS.repeat,
      warmup: DEFAULTS.warmup,
    });
  });

  it('names options the way the caller says (the CLI passes flag names)', () => {
    expect(() => resolveSpec((k) => `--${k}!`, { scenario: 'get-put', threads: 0 })).toThrow(/^--threads! must be/);
  });
});

describe('the JSDoc states the DEFAULTS and LIMITS values', () => {
  const sources = ['lib/harness/options.ts', 'lib/harness/run-suite.ts', 'lib/peers/run.ts']
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');

  it('every "(DEFAULTS.key)" is preceded by that default', () => {
    const uses = [...sources.matchAll(/(\S+) \(DEFAULTS\.(\w+)\)/g)];
    expect(uses.length).toBeGreaterThanOrEqual(14);
    for (const [, literal, key] of uses) {
      const value = DEFAULTS[key as keyof typeof DEFAULTS];
      expect(value, `DEFAULTS.${key}`).toBeDefined();
      expect(literal, `DEFAULTS.${key}`).toBe(typeof value === 'string' ? `'${value}'` : String(value));
    }
  });

  it('every "from A to B (LIMITS.key)" says that range', () => {
    const uses = [...sources.matchAll(/from (\d+) to (\d+) \(LIMITS\.(\w+)\)/g)];
    expect(uses.length).toBeGreaterThanOrEqual(10);
    for (const [, min, max, key] of uses) {
      const range = LIMITS[key as LimitName];
      expect([Number(min), Number(max)], `LIMITS.${key}`).toEqual([range.min, range.max]);
    }
  });

  it('no @default in the option types is a bare literal', () => {
    const options = readFileSync('lib/harness/options.ts', 'utf8');
    for (const [line] of options.matchAll(/.*@default.*/g)) expect(line).toMatch(/DEFAULTS\./);
  });
});

describe('the CLI shows the limits and keeps no copy of the checks', () => {
  it('run --help states the ranges and defaults of lib/limits.ts', async () => {
    const r = await cli(['run', '--help']);
    const help = r.stdout.replace(/\s+/g, ' ');
    expect(help).toContain(`worker threads, from ${LIMITS.threads.min} to ${LIMITS.threads.max}`);
    expect(help).toContain(
      `timed samples, from ${LIMITS.repeat.min} to ${LIMITS.repeat.max} (default: ${DEFAULTS.repeat})`,
    );
    expect(help).toContain(`(default: ${DEFAULTS.timeLimitMs})`);
    expect(help).toContain(`default: "${DEFAULTS.layout}")`);
  });

  it('lib/cli has no range literal or integer-range check of its own', () => {
    for (const f of ['run.ts', 'bench.ts', 'peers.ts', 'args.ts']) {
      const src = readFileSync(`lib/cli/${f}`, 'utf8');
      expect(src, f).not.toMatch(/expectInteger\(|integerArg\(|2 \*\* (31|40|50)|1 << 20|60_000|3_600_000|10_000/);
      expect(src, f).not.toMatch(/SCENARIO_INFO/);
    }
  });
});

describe('runStress/runSuite reject null and odd values with a named error', () => {
  const bad: [string, () => Promise<unknown>, RegExp][] = [
    [
      'threads: null',
      () => runStress({ scenario: 'get-put', threads: null as never }),
      /options\.threads must be left out/,
    ],
    [
      'repeat: null',
      () => runStress({ scenario: 'get-put', repeat: null as never }),
      /options\.repeat must be left out/,
    ],
    [
      'events: null',
      () => runStress({ scenario: 'get-put', events: null as never }),
      /options\.events must be left out/,
    ],
    [
      'signal: null',
      () => runSuite([{ scenario: 'get-put' }], { signal: null as never }),
      /options\.signal must be left out/,
    ],
    ['spec null', () => runSuite([{ scenario: 'get-put', pool: null as never }]), /specs\[0\]\.pool must be left out/],
    [
      'null-prototype scenario',
      () => runStress({ scenario: Object.create(null) as never }),
      /options\.scenario must be one of .*\(received an object\)/,
    ],
    [
      'null-prototype specs',
      () => runSuite(Object.create(null) as never),
      /specs must be a non-empty array of benchmarks \(received an object\)/,
    ],
    [
      'null-prototype events',
      () => runStress({ scenario: 'get-put', events: Object.create(null) as never }),
      /options\.events must be an array .*\(received an object\)/,
    ],
    [
      'signal not a signal',
      () => runStress({ scenario: 'get-put', signal: {} as never }),
      /options\.signal must be an AbortSignal/,
    ],
    [
      'onSample not a function',
      () => runStress({ scenario: 'get-put', onSample: 5 as never }),
      /options\.onSample must be a function/,
    ],
  ];
  it.each(bad)('%s', async (_name, call, message) => {
    const err = await call().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(message);
  });
});
