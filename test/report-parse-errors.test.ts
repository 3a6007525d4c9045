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
      'benchmarks[1].params.threads is 0; expected an integer ≥ 1',
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
