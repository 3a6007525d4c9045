/**
 * `npm run bench:aa`: an A/A test of `compare`. Runs the quick suite twice
 * (or `--per-side N` times per side), each in its own process, on the same
 * commit, then compares the runs and prints the false-positive rate: the
 * share of benchmarks `compare` calls changed when nothing changed (target:
 * at most 5%). For contrast it prints what a Mann–Whitney test over the
 * pooled samples (the method before issue 10) would have flagged.
 *
 *   npm run bench:aa [-- --per-side N] [--out DIR] [--seed S] [-- <bench flags>]
 *
 * Everything after a second `--` goes to `poolscope bench` (e.g. `--no-peers`).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compareRuns, renderCompareText } from '../lib/report/compare.js';
import { readResultsFile } from '../lib/results/parse.js';
import type { ResultsDocument } from '../lib/results/schema.js';
import { mannWhitneyU } from '../lib/stats.js';

const argv = process.argv.slice(2);
const split = argv.indexOf('--');
const own = split >= 0 ? argv.slice(0, split) : argv;
const benchFlags = split >= 0 ? argv.slice(split + 1) : [];
const { values } = parseArgs({
  args: own,
  options: {
    'per-side': { type: 'string', default: '1' },
    out: { type: 'string' },
    seed: { type: 'string', default: '1' },
    quiet: { type: 'boolean', default: false },
  },
});
const perSide = Number(values['per-side']);
const seed = Number(values.seed);
if (!Number.isInteger(perSide) || perSide < 1 || perSide > 10) {
  console.error(`bench:aa: --per-side must be an integer from 1 to 10 (received ${values['per-side']})`);
  process.exit(2);
}
if (!Number.isInteger(seed) || seed < 0) {
  console.error(`bench:aa: --seed must be an integer ≥ 0 (received ${values.seed})`);
  process.exit(2);
}
const root = join(import.meta.dirname, '..');
const outDir =
  values.out ??
  join(
    'bench-out',
    `aa-${new Date()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z')
      .replace(/:/g, '-')}`,
  );
mkdirSync(outDir, { recursive: true });

/** One quick-suite run in a fresh process (its own code, stack and heap placement). */
function runOnce(label: string): string {
  const dir = join(outDir, label);
  const started = Date.now();
  process.stderr.write(`bench:aa: ${label}: poolscope bench --quick ${benchFlags.join(' ')}\n`);
  const r = spawnSync(
    join(root, 'node_modules/.bin/tsx'),
    [
      join(root, 'lib/cli/main.ts'),
      'bench',
      '--quick',
      '--out',
      dir,
      ...(values.quiet ? ['--quiet'] : []),
      ...benchFlags,
    ],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, GLIBC_TUNABLES: 'glibc.rtld.optional_static_tls=4096' },
    },
  );
  if (r.status !== 0) {
    console.error(`bench:aa: ${label} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
  process.stderr.write(`bench:aa: ${label}: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  return join(dir, 'results.json');
}

// Interleaved (a, b, a, b, …) so a drift of the machine over time does not line up with a side.
const aFiles: string[] = [];
const bFiles: string[] = [];
for (let i = 1; i <= perSide; i++) {
  aFiles.push(runOnce(`a${i}`));
  bFiles.push(runOnce(`b${i}`));
}
const read = (files: string[]) => Promise.all(files.map((f) => readResultsFile(f)));
const a: ResultsDocument[] = await read(aFiles);
const b: ResultsDocument[] = await read(bFiles);
const cmp = compareRuns(a, b, { oldLabels: aFiles, newLabels: bFiles, seed });
if (!values.quiet) process.stdout.write(renderCompareText(cmp));

// The method before issue 10: Mann–Whitney over all samples of a side, α = 0.05 per row, no run level.
const pooled = (docs: ResultsDocument[]) => {
  const m = new Map<string, number[]>();
  for (const d of docs) {
    for (const x of d.benchmarks) {
      const k = `${x.name}\u0000${x.params.threads}`;
      m.set(k, [...(m.get(k) ?? []), ...x.samples.map((s) => s.nsPerOp)]);
    }
  }
  return m;
};
const pa = pooled(a);
const pb = pooled(b);
let naive = 0;
for (const [k, x] of pa) {
  const y = pb.get(k);
  if (y && x.length > 0 && y.length > 0 && mannWhitneyU(x, y).p < 0.05) naive++;
}

const flagged = cmp.changes.filter((c) => c.significant);
const rows = cmp.changes.length;
const rate = rows > 0 ? (100 * flagged.length) / rows : 0;
const mdcs = cmp.changes.map((c) => c.mdcPct).sort((x, y) => x - y);
const medianMdc = mdcs.length > 0 ? (mdcs[mdcs.length >> 1] ?? 0) : 0;
const randomized = cmp.placementRandomized.old && cmp.placementRandomized.new;
console.log('');
const processes = (d: ResultsDocument) => (typeof d.config.processes === 'number' ? d.config.processes : 1);
const runsPerSide = cmp.changes.length > 0 ? Math.min(...cmp.changes.map((c) => Math.min(c.oldRuns, c.newRuns))) : 0;
console.log(
  `A/A, same commit, ${perSide} bench run${perSide > 1 ? 's' : ''} per side (${processes(a[0] as ResultsDocument)} process${processes(a[0] as ResultsDocument) > 1 ? 'es' : ''} each: ${runsPerSide} runs per side for compare), placement-randomized: ${randomized ? 'yes' : 'no'}`,
);
console.log(
  `compare: ${flagged.length} of ${rows} benchmarks flagged = ${rate.toFixed(1)}% false positives (target ≤ 5%); median MDC ±${medianMdc.toFixed(1)}%`,
);
console.log(
  `pooled-sample Mann–Whitney (the old method, for contrast): ${naive} of ${rows} = ${rows > 0 ? ((100 * naive) / rows).toFixed(1) : '0'}%`,
);
for (const c of flagged)
  console.log(
    `  flagged: ${c.name} ${c.changePct >= 0 ? '+' : ''}${c.changePct.toFixed(1)}% (q=${c.q.toPrecision(2)})`,
  );
console.log(`runs: ${outDir}`);
process.exitCode = rate <= 5 ? 0 : 1;
