/**
 * The A/A false-positive rate of `poolscope compare` between pairs of runs of
 * the same code, in wall time (what compare reports) and in CPU time
 * (task-clock per op: time a worker spent descheduled by other jobs does not
 * count, so on a busy machine this isolates placement from load). Used to
 * measure placement-randomized sampling (docs/benchmarks.md) against
 * `--no-randomize`:
 *
 *   npm run bench -- --out aa/on1 && npm run bench -- --out aa/on2
 *   npx tsx bench/placement-aa.ts aa/on1/results.json aa/on2/results.json [more pairs…]
 */
import { compareResults } from '../lib/report/compare.js';
import { readResultsFile } from '../lib/results/parse.js';
import type { ResultsDocument } from '../lib/results/schema.js';

/** The document with each sample's nsPerOp replaced by task-clock ns per op; benchmarks without task-clock dropped. */
function inCpuTime(doc: ResultsDocument): ResultsDocument {
  const benchmarks = doc.benchmarks
    .filter((b) => b.samples.length > 0 && b.samples.every((s) => s.counters['task-clock'] !== undefined && s.ops > 0))
    .map((b) => ({
      ...b,
      samples: b.samples.map((s) => ({ ...s, nsPerOp: (s.counters['task-clock']?.value ?? 0) / s.ops })),
    }));
  return { ...doc, benchmarks };
}

const files = process.argv.slice(2);
if (files.length < 2 || files.length % 2 !== 0) {
  process.stderr.write('usage: tsx bench/placement-aa.ts A1.json B1.json [A2.json B2.json …]\n');
  process.exit(2);
}
const total = { wall: { flagged: 0, of: 0 }, cpu: { flagged: 0, of: 0 } };
for (let i = 0; i < files.length; i += 2) {
  const [a, b] = await Promise.all([readResultsFile(files[i] as string), readResultsFile(files[i + 1] as string)]);
  const wall = compareResults(a, b).changes;
  const cpu = compareResults(inCpuTime(a), inCpuTime(b)).changes;
  const flagged = (cs: typeof wall) => cs.filter((c) => c.significant).length;
  const placement = (d: ResultsDocument) => JSON.stringify(d.config.placement ?? 'none');
  console.log(
    `${files[i]} vs ${files[i + 1]} (placement ${placement(a)} / ${placement(b)}): ` +
      `wall ${flagged(wall)} of ${wall.length} flagged (${((100 * flagged(wall)) / wall.length).toFixed(1)}%), ` +
      `cpu ${flagged(cpu)} of ${cpu.length} (${((100 * flagged(cpu)) / cpu.length).toFixed(1)}%)`,
  );
  total.wall.flagged += flagged(wall);
  total.wall.of += wall.length;
  total.cpu.flagged += flagged(cpu);
  total.cpu.of += cpu.length;
}
const pct = (t: { flagged: number; of: number }) =>
  `${t.flagged} of ${t.of} (${((100 * t.flagged) / t.of).toFixed(1)}%)`;
console.log(`A/A false positives: wall time ${pct(total.wall)}, CPU time ${pct(total.cpu)}`);
