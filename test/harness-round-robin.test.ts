/**
 * runSuite's round-robin order (what the peers run uses): every benchmark is
 * warmed up first, then each round takes one sample of every benchmark in
 * turn, with onRound between rounds; the document holds every benchmark with
 * all its samples.
 */
import { describe, expect, it } from 'vitest';
import { runSuite } from '../lib/harness/run-suite.js';

describe('runSuite roundRobin', () => {
  it('warms every benchmark up, then interleaves their samples round by round', async () => {
    const log: string[] = [];
    const doc = await runSuite(
      [
        { scenario: 'get-put', layout: 'pad128' },
        { scenario: 'get-put', layout: 'packed' },
        { scenario: 'alloc', pool: 'malloc', batch: 4 },
      ],
      {
        ops: 2_000,
        repeat: 3,
        warmup: 1,
        events: [],
        roundRobin: true,
        onSample: (e) => log.push(`${e.phase}:${e.name}:${e.index}`),
        onRound: (round, rounds) => {
          log.push(`round:${round}/${rounds}`);
        },
      },
    );
    const a = 'GetPut/pool=sync/layout=pad128/publish=xadd';
    const b = 'GetPut/pool=sync/layout=packed/publish=xadd';
    const c = 'Alloc/pool=malloc/batch=4';
    const round = (i: number) => [`sample:${a}:${i}`, `sample:${b}:${i}`, `sample:${c}:${i}`, `round:${i - 1}/3`];
    expect(log).toEqual([`warmup:${a}:1`, `warmup:${b}:1`, `warmup:${c}:1`, ...round(1), ...round(2), ...round(3)]);
    expect(doc.benchmarks.map((x) => x.name)).toEqual([a, b, c]);
    expect(doc.benchmarks.every((x) => x.samples.length === 3 && x.summary.nsPerOp.n === 3)).toBe(true);
    expect(doc.config.roundRobin).toBe(true);
  });

  it('rejects a roundRobin that is not a boolean and an onRound that is not a function', async () => {
    await expect(runSuite([{ scenario: 'get-put' }], { roundRobin: 'yes' as never })).rejects.toThrow(
      /options\.roundRobin/,
    );
    await expect(runSuite([{ scenario: 'get-put' }], { onRound: 1 as never })).rejects.toThrow(/options\.onRound/);
  });
});
