/**
 * `poolscope compare OLD.json NEW.json [--fail-on-regression PCT] [--format text|md|json] [--json [FILE]]`.
 * Exit 1 when a significant slowdown exceeds PCT, 0 otherwise, 2 for usage errors.
 */
import type { Command } from 'commander';
import {
  compareResults,
  regressions,
  renderCompareJson,
  renderCompareMarkdown,
  renderCompareText,
} from '../report/compare.js';
import { describeValue, expectOneOf } from '../validate.js';
import { jsonTarget, writeJson } from './output-path.js';
import { readResultsArgument } from './results-input.js';

const FORMATS = ['text', 'md', 'json'] as const;

function parsePercent(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new RangeError(`--fail-on-regression must be a percentage ≥ 0, e.g. 5 (received ${describeValue(value)})`);
  }
  return n;
}

export function register(program: Command): void {
  program
    .command('compare')
    .description('compare two results documents: per-benchmark change, 95% CI, Mann–Whitney p-value, geomean')
    .argument('<old>', 'baseline results document')
    .argument('<new>', 'results document to compare with it')
    .option('--fail-on-regression <pct>', 'exit 1 when any significant slowdown exceeds this percentage')
    .option('-f, --format <format>', `one of ${FORMATS.join(', ')}`, 'text')
    .option('--json [file]', 'the comparison as JSON, to FILE or standard output (same as --format json)')
    .action(
      async (
        oldFile: string,
        newFile: string,
        opts: { format: string; failOnRegression?: string; json?: string | boolean },
      ) => {
        const json = jsonTarget(opts.json);
        const format = json !== undefined ? 'json' : expectOneOf('--format', opts.format, FORMATS);
        const threshold = opts.failOnRegression === undefined ? undefined : parsePercent(opts.failOnRegression);
        const oldDoc = await readResultsArgument('OLD', oldFile);
        const newDoc = await readResultsArgument('NEW', newFile);
        const cmp = compareResults(oldDoc, newDoc, oldFile, newFile);
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
      },
    );
}
