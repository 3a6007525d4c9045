import { describe, expect, it } from 'vitest';
import { ResultsFormatError } from '../lib/errors.js';
import { parseResults } from '../lib/results/parse.js';
import { fullDocument } from './fixtures/results.js';

function withPlacement(sample: unknown, run: unknown): object {
  const doc = JSON.parse(JSON.stringify(fullDocument()));
  doc.config.placement = run;
  doc.benchmarks[0].samples[0].placement = sample;
  return doc;
}

function messageOf(doc: object): string {
  try {
    parseResults(doc, 'p.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ResultsFormatError);
    return (err as Error).message;
  }
  throw new Error('expected a ResultsFormatError');
}

describe('placement fields of a results document', () => {
  it('are read back when well formed', () => {
    const doc = parseResults(
      withPlacement({ stackOffset: 4080, dataOffset: 4032, codeCopy: 7 }, { randomized: true, seed: 0xffffffff }),
    );
    expect(doc.config.placement).toEqual({ randomized: true, seed: 0xffffffff });
    expect(doc.benchmarks[0]?.samples[0]?.placement).toEqual({ stackOffset: 4080, dataOffset: 4032, codeCopy: 7 });
  });

  it('are optional (documents from before placement randomization)', () => {
    expect(() => parseResults(fullDocument())).not.toThrow();
  });

  it('a bad offset, copy or seed names its path and the accepted values', () => {
    const run = { randomized: true, seed: 1 };
    expect(messageOf(withPlacement({ stackOffset: 8, dataOffset: 0, codeCopy: 0 }, run))).toBe(
      'p.json: benchmarks[0].samples[0].placement.stackOffset is 8; expected a multiple of 16 from 0 to 4080',
    );
    expect(messageOf(withPlacement({ stackOffset: 0, dataOffset: 4096, codeCopy: 0 }, run))).toContain(
      'placement.dataOffset is 4096; expected a multiple of 64 from 0 to 4032',
    );
    expect(messageOf(withPlacement({ stackOffset: 0, dataOffset: 0, codeCopy: 8 }, run))).toContain(
      'placement.codeCopy is 8; expected an integer from 0 to 7',
    );
    const ok = { stackOffset: 0, dataOffset: 0, codeCopy: 0 };
    expect(messageOf(withPlacement(ok, { randomized: 'yes', seed: 1 }))).toContain(
      'config.placement.randomized is "yes"; expected true or false',
    );
    expect(messageOf(withPlacement(ok, { randomized: true, seed: -1 }))).toContain('config.placement.seed is -1');
    expect(messageOf(withPlacement(null, run))).toContain(
      'benchmarks[0].samples[0].placement is null; expected an object',
    );
  });
});
