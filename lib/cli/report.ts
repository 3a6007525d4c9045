/** `poolscope report FILE --format md|html|gobench|json|text [--out FILE]`. */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { REPORT_FORMATS, renderReport } from '../report/render.js';
import { expectOneOf } from '../validate.js';
import { readResultsArgument } from './results-input.js';
import { writeStdout } from './stdout.js';

export function register(program: Command): void {
  program
    .command('report')
    .description('render a results document as a terminal table, Markdown, HTML, Go benchmark text or JSON')
    .argument('<file>', 'results document (results.json)')
    .option('-f, --format <format>', `one of ${REPORT_FORMATS.join(', ')}`, 'text')
    .option('-o, --out <file>', 'write to this file instead of standard output')
    .action(async (file: string, opts: { format: string; out?: string }) => {
      const format = expectOneOf('--format', opts.format, REPORT_FORMATS);
      const doc = await readResultsArgument('FILE', file);
      const color = opts.out === undefined && process.stdout.isTTY === true && !process.env.NO_COLOR;
      const text = renderReport(doc, format, { color });
      if (opts.out !== undefined) await writeFile(opts.out, text);
      else writeStdout(text);
    });
}
