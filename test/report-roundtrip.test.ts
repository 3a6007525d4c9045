import { describe, expect, it } from 'vitest';
import { withAnalysis } from '../lib/report/analyze.js';
import { goBenchmarkLineName, renderGoBench } from '../lib/report/gobench.js';
import { renderJson } from '../lib/report/json.js';
import { renderMarkdown } from '../lib/report/markdown.js';
import { REPORT_FORMATS, renderReport } from '../lib/report/render.js';
import { renderText } from '../lib/report/text.js';
import { parseResults } from '../lib/results/parse.js';
import { median, summarize } from '../lib/stats.js';
import { fullDocument } from './fixtures/results.js';

/**
 * A reader of golang.org/design/14313-benchmark-format, strict where the spec
 * is: configuration lines `key: value` (key starts lower case, no spaces or
 * upper case), result lines `Benchmark<Name>` + integer iterations + value/unit
 * pairs, units without spaces.
 */
function readGoBench(text: string) {
  const config = new Map<string, string>();
  const results: Array<{ name: string; iterations: number; values: Map<string, number> }> = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const cfg = /^([a-z][^\s:A-Z]*):(?:\s+(.*))?$/.exec(line);
    if (cfg) {
      config.set(cfg[1] as string, cfg[2] ?? '');
      continue;
    }
    expect(line).toMatch(/^Benchmark[^a-z]/);
    const fields = line.split(/\s+/);
    expect(fields.length % 2).toBe(0); // name, iterations, then pairs
    const [name, iters, ...rest] = fields as [string, string, ...string[]];
    expect(iters).toMatch(/^\d+$/);
    const values = new Map<string, number>();
    for (let i = 0; i < rest.length; i += 2) {
      const v = Number(rest[i]);
      expect(Number.isFinite(v), `value ${rest[i]} in ${line}`).toBe(true);
      values.set(rest[i + 1] as string, v);
    }
    results.push({ name, iterations: Number(iters), values });
  }
  return { config, results };
}

describe('report formats from one document', () => {
  const doc = fullDocument();

  it('JSON → parse gives the same document', () => {
    expect(parseResults(renderJson(doc))).toEqual(doc);
    const analyzed = withAnalysis(doc);
    expect(parseResults(renderJson(analyzed))).toEqual(analyzed);
  });

  it('Go benchmark text follows the format and parses back to the same medians', () => {
    const { config, results } = readGoBench(renderGoBench(doc));
    expect(config.get('goos')).toBe('linux');
    expect(config.get('goarch')).toBe('amd64');
    expect(config.get('pkg')).toBe('poolscope');
    expect(config.get('cpu')).toBe(doc.machine.cpuModel);
    expect(results).toHaveLength(doc.benchmarks.reduce((n, b) => n + b.samples.length, 0));
    for (const b of doc.benchmarks) {
      const lines = results.filter((r) => r.name === goBenchmarkLineName(b));
      expect(lines).toHaveLength(b.samples.length);
      // thread-ns/op is the document's nsPerOp; ns/op is Go's RunParallel figure: wall ÷ total iterations.
      const back = median(lines.map((r) => r.values.get('thread-ns/op') as number));
      const want = median(b.samples.map((s) => s.nsPerOp));
      expect(Math.abs(back - want) / want).toBeLessThan(1e-5);
      const per = b.params.scenario === 'producer-consumer' ? 2 : 1;
      const wall = median(b.samples.map((s) => (s.elapsedNs * per) / s.ops));
      expect(Math.abs(median(lines.map((r) => r.values.get('ns/op') as number)) - wall) / wall).toBeLessThan(1e-5);
      expect(lines[0]?.iterations).toBe((b.samples[0]?.ops ?? 0) / per);
      for (const unit of ['tsc-cycles/op', 'private-hits/op', 'steals/op', 'news/op', 'task-clock-ns/op']) {
        expect(lines[0]?.values.has(unit), unit).toBe(true);
      }
    }
    // Go's -N suffix (threads) only for N ≠ 1; the same keys in the same order everywhere, objectSize always
    expect(
      results.some((r) => r.name === 'BenchmarkFalseSharing/pool=sync/layout=packed/publish=xadd/objectSize=64-2'),
    ).toBe(true);
    expect(results.some((r) => r.name === 'BenchmarkGetPut/pool=mutex/objectSize=64')).toBe(true);
    expect(
      results.some(
        (r) =>
          r.name === 'BenchmarkGcChurn/pool=sync/layout=pad128/publish=xadd/clearEvery=1000/victim=true/objectSize=64',
      ),
    ).toBe(true);
    // A 2-thread row reads like Go's RunParallel at GOMAXPROCS=2: ns/op = thread-ns/op ÷ 2.
    const fs = results.find((r) => r.name.startsWith('BenchmarkFalseSharing/pool=sync/layout=packed'));
    expect((fs?.values.get('thread-ns/op') ?? 0) / (fs?.values.get('ns/op') ?? 1)).toBeCloseTo(2, 4);
    expect(results[0]?.values.get('steals/op')).toBe(0);
    const pc = results.find((r) => r.name.startsWith('BenchmarkProducerConsumer'));
    expect(pc?.values.get('steals/op')).toBe(1);
  });

  it('terminal text: machine and event states on top, aligned columns, a table per scenario, findings', () => {
    const text = renderText(doc);
    expect(text).not.toContain('\u001b[');
    const lines = text.split('\n');
    expect(lines[1]).toContain('AMD EPYC 7B13 (synthetic)');
    expect(text).toContain('cycles: not-supported — ENOENT');
    const title = lines.indexOf('false-sharing');
    expect(lines[title + 1]).toBe('The same get/put loop per layout: packed records share a cache line.');
    const head = title + 2;
    expect(lines[head]).toMatch(/^benchmark\s+n\s+ns\/op/);
    const table = lines.slice(head, head + 4);
    // right-aligned numeric columns: every row of one table ends at the same width
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
    expect(table[1]).toMatch(/^FalseSharing\/pool=sync\/layout=packed\/publish=xadd-2\s+10\s+75\.9\s/);
    expect(text).toContain('findings');
    expect(renderText(doc, { color: true })).toContain('\u001b[1m');
  });

  it('Markdown: machine, events, findings, one table per scenario', () => {
    const md = renderMarkdown(doc);
    expect(md).toContain('**Machine:** AMD EPYC 7B13 (synthetic), 2 logical cores');
    expect(md).toContain('| cycles | not-supported |');
    // the harness's one-sentence description of a scenario, under its heading
    expect(md).toContain('## false-sharing\n\nThe same get/put loop per layout: packed records share a cache line.\n');
    for (const s of ['get-put', 'false-sharing', 'batch', 'gc-churn', 'alloc', 'producer-consumer']) {
      expect(md).toContain(`## ${s}`);
    }
    expect(md).toMatch(
      /### false-sharing\n\n- packed layout: 38× slower than pad64 at 2 threads, 64 B, xadd publish — false sharing.*\n- ~ pad128 vs pad64 layout/,
    );
    expect(md).toContain('GetPut/pool=sync/layout=pad128/publish=xadd | 10 | 1.61 |');
  });

  it('a benchmark without samples (interrupted before its first) renders and survives JSON', () => {
    const doc2 = fullDocument();
    const first = doc2.benchmarks[0];
    if (!first) throw new Error('fixture has benchmarks');
    doc2.benchmarks.push({
      ...first,
      name: 'GetPut/pool=treiber',
      samples: [],
      summary: { nsPerOp: summarize([]) },
      interrupted: true,
    });
    doc2.benchmarks.push({
      ...first,
      params: { ...first.params, scenario: 'node-alloc' },
      name: 'NodeAlloc',
      samples: [],
      summary: { nsPerOp: summarize([]) },
    });
    for (const f of REPORT_FORMATS) expect(renderReport(doc2, f)).not.toContain('NaN');
    expect(renderText(doc2)).toContain('GetPut/pool=treiber (interrupted)');
    expect(parseResults(renderJson(doc2)).benchmarks.at(-1)?.summary.nsPerOp.n).toBe(0);
  });

  it('every format renders, and a document without benchmarks still renders', () => {
    const empty = { ...doc, benchmarks: [] };
    for (const f of REPORT_FORMATS) {
      expect(renderReport(doc, f).length).toBeGreaterThan(100);
      expect(renderReport(empty, f)).toContain(f === 'gobench' ? 'goos: linux' : 'poolscope');
    }
  });

  it('renderReport checks its input at run time: a raw object or an unknown format is a typed error', () => {
    expect(() => renderReport({} as typeof doc, 'text')).toThrow(/not a poolscope results document/);
    expect(() => renderReport(doc, 'pdf' as 'text')).toThrow(
      new RangeError(`format must be one of 'text', 'md', 'html', 'gobench', 'json' (received "pdf")`),
    );
  });

  it('every format shows the spread of each benchmark, and says whether it is placement', () => {
    expect(renderText(doc)).toMatch(/^benchmark\s+n\s+ns\/op\s+95% CI\s+spread\s/m);
    const placed = { ...doc, config: { ...doc.config, placement: { randomized: true, seed: 1 } } };
    expect(renderText(placed)).toMatch(/^benchmark\s+n\s+ns\/op\s+95% CI\s+placement\s/m);
    expect(renderMarkdown(placed)).toContain('| benchmark | n | ns/op | 95% CI | placement |');
    expect(renderReport(placed, 'html')).toMatch(/<th>placement<\/th>/);
    expect(renderText(doc)).toMatch(/±\d+\.\d%/);
  });
});
