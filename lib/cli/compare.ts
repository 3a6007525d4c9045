/**
 * `poolscope compare OLD NEW` or `poolscope compare NEW… --against OLD…`:
 * several runs per side (results.json or bench.txt), a hierarchical
 * bootstrap over runs then samples, Benjamini–Hochberg q across rows, the
 * minimum detectable change per row (lib/report/compare.ts).
 * Exit 1 when a significant slowdown exceeds `--fail-on-regression PCT`, 0 otherwise, 2 for usage errors.
 */
import type { Command } from 'commander';
import {
  compareRuns,
  DEFAULT_RESAMPLES,
  DEFAULT_SEED,
  regressions,
  renderCompareJson,
  renderCompareMarkdown,
  renderCompareText,
} from '../report/compare.js';
import { describeValue, expectOneOf } from '../validate.js';
import { readRunArgument } from './results-input.js';
import { integerArg } from './run.js';
import { writeStdout } from './stdout.js';

const FORMATS = ['text', 'md', 'json'] as const;

function parsePercent(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new RangeError(`--fail-on-regression must be a percentage ≥ 0, e.g. 5 (received ${describeValue(value)})`);
  }
  return n;
}

interface CompareFlags {
  format: string;
  failOnRegression?: string;
  against?: string[];
  seed: number;
  resamples: number;
}

/** Which files are the old (baseline) runs and which the new ones. */
function sides(files: readonly string[], against: readonly string[] | undefined): { old: string[]; new: string[] } {
  if (against !== undefined) {
    if (files.length === 0)
      throw new RangeError('compare: give the new runs before --against (compare NEW… --against OLD…)');
    return { old: [...against], new: [...files] };
  }
  if (files.length !== 2) {
    throw new RangeError(
      `compare: expected OLD NEW, or NEW… --against OLD… for several runs per side (received ${files.length} file${files.length === 1 ? '' : 's'})`,
    );
  }
  return { old: [files[0] as string], new: [files[1] as string] };
}

export function register(program: Command): void {
  program
    .command('compare')
    .description(
      'compare runs (results.json or bench.txt): change, 95% CI, p, Benjamini–Hochberg q, minimum detectable change, geomean',
    )
    .argument('<files...>', 'OLD NEW; or the new runs, with --against the old runs')
    .option('--against <old...>', 'the baseline runs (several allowed): compare the files before it against these')
    .option('--fail-on-regression <pct>', 'exit 1 when any significant slowdown exceeds this percentage')
    .option('--seed <n>', 'seed of the bootstrap', integerArg(0, 2 ** 32 - 1), DEFAULT_SEED)
    .option('--resamples <n>', 'bootstrap resamples per benchmark', integerArg(100, 100_000), DEFAULT_RESAMPLES)
    .option('-f, --format <format>', `one of ${FORMATS.join(', ')}`, 'text')
    .action(async (files: string[], opts: CompareFlags) => {
      const format = expectOneOf('--format', opts.format, FORMATS);
      const threshold = opts.failOnRegression === undefined ? undefined : parsePercent(opts.failOnRegression);
      const s = sides(files, opts.against);
      const oldDocs = [];
      for (const f of s.old) oldDocs.push(await readRunArgument(s.old.length === 1 ? 'OLD' : 'OLD run', f));
      const newDocs = [];
      for (const f of s.new) newDocs.push(await readRunArgument(s.new.length === 1 ? 'NEW' : 'NEW run', f));
      const cmp = compareRuns(oldDocs, newDocs, {
        oldLabels: s.old,
        newLabels: s.new,
        seed: opts.seed,
        resamples: opts.resamples,
      });
      const render =
        format === 'md' ? renderCompareMarkdown : format === 'json' ? renderCompareJson : renderCompareText;
      const bad = threshold === undefined ? [] : regressions(cmp, threshold);
      // Set before writing: a reader closing the pipe early ends the process with this code.
      if (bad.length > 0) process.exitCode = 1;
      writeStdout(render(cmp));
      if (bad.length > 0) {
        process.stderr.write(
          `poolscope: ${bad.length} significant regression(s) above ${threshold}%: ${bad.map((c) => `${c.name} +${c.changePct.toFixed(1)}%`).join(', ')}\n`,
        );
      }
    });
}
