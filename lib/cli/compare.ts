/**
 * `poolscope compare OLD NEW` or `poolscope compare NEW… --against OLD…`
 * `[--fail-on-regression PCT] [--format text|md|json] [--json [FILE]] [--seed N]`:
 * several runs per side (results.json or bench.txt), a hierarchical
 * bootstrap over runs then samples, Benjamini–Hochberg q across rows, the
 * minimum detectable change per row (lib/report/compare.ts).
 * Exit 1 when a significant slowdown exceeds PCT, 0 otherwise, 2 for usage errors.
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
import type { ResultsDocument } from '../results/schema.js';
import { describeValue, expectOneOf } from '../validate.js';
import { decimalInteger } from './args.js';
import { jsonTarget, writeJson } from './output-path.js';
import { readRunArgument } from './results-input.js';
import { UsageError } from './usage.js';

const FORMATS = ['text', 'md', 'json'] as const;

function parsePercent(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new RangeError(`--fail-on-regression must be a percentage ≥ 0, e.g. 5 (received ${describeValue(value)})`);
  }
  return n;
}

function inRange(flag: string, value: number, min: number, max: number): number {
  if (value < min || value > max)
    throw new UsageError(`${flag} must be an integer from ${min} to ${max} (received ${value})`);
  return value;
}

interface CompareFlags {
  format: string;
  failOnRegression?: string;
  against?: string[];
  seed: number;
  resamples: number;
  json?: string | boolean;
}

/** Which files are the old (baseline) runs and which the new ones. */
function sides(files: readonly string[], against: readonly string[] | undefined): { old: string[]; new: string[] } {
  if (against !== undefined) {
    if (files.length === 0) {
      throw new UsageError('give the new runs before --against (compare NEW… --against OLD…)');
    }
    return { old: [...against], new: [...files] };
  }
  if (files.length !== 2) {
    throw new UsageError(
      `expected OLD NEW, or NEW… --against OLD… for several runs per side (received ${files.length} file${files.length === 1 ? '' : 's'})`,
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
    .option('--seed <n>', 'seed of the bootstrap (0 to 4294967295)', decimalInteger, DEFAULT_SEED)
    .option('--resamples <n>', 'bootstrap resamples per benchmark (100 to 100000)', decimalInteger, DEFAULT_RESAMPLES)
    .option('-f, --format <format>', `one of ${FORMATS.join(', ')}`, 'text')
    .option('--json [file]', 'the comparison as JSON, to FILE or standard output (same as --format json)')
    .action(async (files: string[], opts: CompareFlags) => {
      const json = jsonTarget(opts.json);
      const format = json !== undefined ? 'json' : expectOneOf('--format', opts.format, FORMATS);
      const threshold = opts.failOnRegression === undefined ? undefined : parsePercent(opts.failOnRegression);
      const seed = inRange('--seed', opts.seed, 0, 2 ** 32 - 1);
      const resamples = inRange('--resamples', opts.resamples, 100, 100_000);
      const s = sides(files, opts.against);
      const read = async (list: string[], field: string) => {
        const docs: ResultsDocument[] = [];
        for (const f of list) docs.push(await readRunArgument(list.length === 1 ? field : `${field} run`, f));
        return docs;
      };
      const oldDocs = await read(s.old, 'OLD');
      const newDocs = await read(s.new, 'NEW');
      const cmp = compareRuns(oldDocs, newDocs, { oldLabels: s.old, newLabels: s.new, seed, resamples });
      const render =
        format === 'md' ? renderCompareMarkdown : format === 'json' ? renderCompareJson : renderCompareText;
      const bad = threshold === undefined ? [] : regressions(cmp, threshold);
      // Set before writing: a reader closing the pipe early ends the process with this code.
      if (bad.length > 0) process.exitCode = 1;
      await writeJson(json ?? '-', render(cmp));
      if (bad.length > 0) {
        process.stderr.write(
          `poolscope: ${bad.length} significant regression(s) above ${threshold}%: ${bad.map((c) => `${c.name} +${c.changePct.toFixed(1)}%`).join(', ')}\n`,
        );
      }
    });
}
