import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResultsFormatError } from '../lib/errors.js';
import { parseResults, readResultsFile } from '../lib/results/parse.js';
import { fullDocument } from './fixtures/results.js';

function errorOf(fn: () => unknown): ResultsFormatError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ResultsFormatError);
    return err as ResultsFormatError;
  }
  throw new Error('expected a ResultsFormatError');
}

describe('parseResults rejects what it cannot read, naming file and field', () => {
  it('not JSON', () => {
    const e = errorOf(() => parseResults('{"schema": 1,', 'a.json'));
    expect(e.code).toBe('ERR_RESULTS_NOT_JSON');
    expect(e.message).toMatch(/^a\.json: not JSON/);
  });

  it("another tool's file", () => {
    const e = errorOf(() => parseResults('{"name": "left-pad", "version": "1.3.0"}', 'package.json'));
    expect(e.code).toBe('ERR_RESULTS_FOREIGN');
    expect(e.message).toContain('package.json: not a poolscope results document');
    const e2 = errorOf(() => parseResults({ ...fullDocument(), tool: { name: 'hyperfine', version: '1' } }, 'h.json'));
    expect(e2.message).toContain('"hyperfine"');
  });

  it('a different schema version', () => {
    const e = errorOf(() => parseResults({ ...fullDocument(), schema: 3 }, 'future.json'));
    expect(e.code).toBe('ERR_RESULTS_VERSION');
    expect(e.message).toContain('future.json: schema is 3; this poolscope reads schema 1 and 2 only');
  });

  it('a field of the wrong type names its JSON path, what was found and what is expected', () => {
    const doc = JSON.parse(JSON.stringify(fullDocument()));
    doc.benchmarks[3].samples[0].nsPerOp = 'fast';
    const e = errorOf(() => parseResults(doc, 'r.json'));
    expect(e.message).toBe('r.json: benchmarks[3].samples[0].nsPerOp is "fast"; expected a finite number > 0');
  });

  it('other wrong shapes: missing machine field, bad event state, counter reading, threads', () => {
    const base = () => JSON.parse(JSON.stringify(fullDocument()));
    let doc = base();
    delete doc.machine.cpuModel;
    expect(errorOf(() => parseResults(doc, 'r.json')).message).toContain(
      'machine.cpuModel is undefined; expected a string',
    );
    doc = base();
    doc.events[1].state = 'broken';
    expect(errorOf(() => parseResults(doc, 'r.json')).message).toContain(
      'events[1].state is "broken"; expected one of',
    );
    doc = base();
    doc.benchmarks[0].samples[2].counters['task-clock'].scaled = null;
    expect(errorOf(() => parseResults(doc, 'r.json')).message).toContain(
      'benchmarks[0].samples[2].counters["task-clock"].scaled is null',
    );
    doc = base();
    doc.benchmarks[1].params.threads = 0;
    expect(errorOf(() => parseResults(doc, 'r.json')).message).toContain(
      'benchmarks[1].params.threads is 0; expected an integer from 1 to 65536',
    );
  });

  it('a valid document parses to an equal object, from text and from a file', async () => {
    const doc = fullDocument();
    expect(parseResults(JSON.stringify(doc))).toEqual(doc);
    const dir = mkdtempSync(join(tmpdir(), 'poolscope-parse-'));
    const file = join(dir, 'results.json');
    writeFileSync(file, JSON.stringify(doc));
    await expect(readResultsFile(file)).resolves.toEqual(doc);
    await expect(readResultsFile(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('results that add up (issue 15.2): inconsistent numbers name the benchmark and the field', () => {
  const cases: Array<[string, (d: ReturnType<typeof fullDocument>) => void, RegExp]> = [
    [
      'nsPerOp ≠ elapsedNs × threads ÷ ops',
      (d) => {
        const s = d.benchmarks[2]?.samples[0];
        if (s) s.nsPerOp *= 1.5;
      },
      /benchmark "FalseSharing\/pool=sync\/layout=packed\/publish=xadd": benchmarks\[2\]\.samples\[0\]\.nsPerOp is [\d.]+; expected elapsedNs × threads ÷ ops = [\d.]+/,
    ],
    [
      'summary.n ≠ samples.length',
      (d) => {
        const b = d.benchmarks[0];
        if (b) b.samples = [];
      },
      /benchmarks\[0\]\.summary\.nsPerOp\.n is 10; expected samples\.length = 0/,
    ],
    [
      'runningPct > 100',
      (d) => {
        const c = d.benchmarks[0]?.samples[0]?.counters['task-clock'];
        if (c) c.runningPct = 150;
      },
      /samples\[0\]\.counters\["task-clock"\]\.runningPct is 150; expected a percentage ≤ 100/,
    ],
    [
      'ops = 0 with nsPerOp > 0',
      (d) => {
        const s = d.benchmarks[0]?.samples[0];
        if (s) s.ops = 0;
      },
      /benchmarks\[0\]\.samples\[0\]\.ops is 0; expected a finite number > 0/,
    ],
    [
      'nsPerOp = 0',
      (d) => {
        const s = d.benchmarks[0]?.samples[0];
        if (s) Object.assign(s, { nsPerOp: 0, elapsedNs: 0 });
      },
      /samples\[0\]\.elapsedNs is 0; expected a finite number > 0/,
    ],
    [
      'median outside the samples',
      (d) => {
        const b = d.benchmarks[0];
        if (b) b.summary.nsPerOp.median = 1e9;
      },
      /summary\.nsPerOp\.median is 1000000000; expected the median of the samples = [\d.]+/,
    ],
    [
      'a sparse samples array',
      (d) => {
        const b = d.benchmarks[0];
        if (b) (b.samples as unknown[])[20] = b.samples[0];
      },
      /benchmarks\[0\]\.samples\[10\] is "a hole"; expected an array without holes \(21 slots\)/,
    ],
  ];
  for (const [what, mutate, message] of cases) {
    it(what, () => {
      const doc = fullDocument();
      mutate(doc);
      const e = errorOf(() => parseResults(doc, 'r.json'));
      expect(e.code).toMatch(/^ERR_RESULTS_(FORMAT|INCONSISTENT)$/);
      expect(e.message).toMatch(message);
    });
  }

  it('float rounding is tolerated', () => {
    const doc = fullDocument();
    const s = doc.benchmarks[0]?.samples[0];
    if (s) s.nsPerOp *= 1 + 1e-12;
    expect(() => parseResults(doc, 'r.json')).not.toThrow();
  });

  it('a schema-1 document is read as schema 2: its sentence findings are dropped, to be computed again', () => {
    const v1 = { ...fullDocument(), schema: 1, findings: [{ scenario: 'x', text: 'old prose', significant: true }] };
    const doc = parseResults(JSON.parse(JSON.stringify(v1)) as object, 'v1.json');
    expect(doc.schema).toBe(2);
    expect(doc.findings).toBeUndefined();
  });
});
