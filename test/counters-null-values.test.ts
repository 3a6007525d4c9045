/**
 * An event that did not count is `null` in the results document, with its
 * state in `events`, never a 0 that reads as a measurement (perf prints
 * `<not counted>`); the parser accepts it and every renderer leaves it out.
 */
import { describe, expect, it } from 'vitest';
import { aggregateSample } from '../lib/harness/aggregate.js';
import type { NativeSampleResult } from '../lib/harness/native.js';
import { renderReport } from '../lib/report/render.js';
import { parseResults } from '../lib/results/parse.js';
import { jitter, makeBenchmark, makeDocument } from './fixtures/results.js';

const result = (ops: number): NativeSampleResult => ({
  ops,
  startOffsetNs: 0,
  endOffsetNs: ops * 10,
  tscCycles: ops * 20,
  stopped: false,
  cancelled: false,
});

describe('not-counted readings are null', () => {
  it('aggregateSample: null when no worker counted it, the counted workers only otherwise', () => {
    const s = aggregateSample(
      [
        {
          result: result(1000),
          counters: {
            'page-faults': { name: 'page-faults', value: 0, scaled: 0, runningPct: 0, state: 'not-counted' },
            'task-clock': { name: 'task-clock', value: 5000, scaled: 5000, runningPct: 100, state: 'counted' },
          },
        },
        {
          result: result(1000),
          counters: {
            'page-faults': { name: 'page-faults', value: 0, scaled: 0, runningPct: 0, state: 'not-counted' },
            'task-clock': { name: 'task-clock', value: 0, scaled: 0, runningPct: 0, state: 'not-counted' },
          },
        },
      ],
      2,
    );
    expect(s.counters['page-faults']).toEqual({ value: null, scaled: null, runningPct: 0 });
    expect(s.counters['task-clock']).toEqual({ value: 5000, scaled: 5000, runningPct: 50 });
  });

  it('a document with a null reading parses and renders in every format without a 0 for it', () => {
    const b = makeBenchmark({ scenario: 'get-put', pool: 'sync' }, jitter(10, 5, 7));
    for (const s of b.samples) s.counters = { 'page-faults': { value: null, scaled: null, runningPct: 0 } };
    const doc = makeDocument([b]);
    doc.events = [{ name: 'page-faults', state: 'not-counted', reason: 'never scheduled' }];
    const parsed = parseResults(JSON.parse(JSON.stringify(doc)));
    expect(parsed.benchmarks[0]?.samples[0]?.counters['page-faults']?.value).toBeNull();
    for (const format of ['text', 'md', 'html', 'gobench', 'json'] as const) {
      const out = renderReport(parsed, format, { color: false });
      expect(out, format).not.toMatch(/page-faults\/op/);
    }
    expect(() =>
      parseResults({
        ...doc,
        benchmarks: [
          {
            ...b,
            samples: b.samples.map((s) => ({ ...s, counters: { x: { value: 'a', scaled: null, runningPct: 0 } } })),
          },
        ],
      }),
    ).toThrow(/value/);
  });
});
