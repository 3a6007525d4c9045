/**
 * `poolscope report FILE --format md|html|gobench|json|text [--out FILE] [--json [FILE]]`.
 * FILE must be a regular file (a device or FIFO is refused, naming it); the
 * output path is checked before anything is read.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { REPORT_FORMATS, renderReport } from '../report/render.js';
import { expectOneOf } from '../validate.js';
import { checkOutputFile, jsonTarget } from './output-path.js';
import { readResultsArgument } from './results-input.js';
import { writeStdout } from './stdout.js';

export function register(program: Command): void {
  program
    .command('report')
    .description('render a results document as a terminal table, Markdown, HTML, Go benchmark text or JSON')
    .argument('<file>', 'results document (results.json)')
    .option('-f, --format <format>', `one of ${REPORT_FORMATS.join(', ')}`, 'text')
    .option('-o, --out <file>', 'write to this file instead of standard output')
    .option('--json [file]', 'the document as JSON, to FILE or standard output (same as --format json)')
    .action(async (file: string, opts: { format: string; out?: string; json?: string | boolean }) => {
      const json = jsonTarget(opts.json);
      const format = json !== undefined ? 'json' : expectOneOf('--format', opts.format, REPORT_FORMATS);
      const out = json !== undefined && json !== '-' ? json : opts.out;
      if (opts.out !== undefined) checkOutputFile('--out', opts.out);
      const doc = await readResultsArgument('FILE', file);
      const color = out === undefined && process.stdout.isTTY === true && !process.env.NO_COLOR;
      const text = renderReport(doc, format, { color });
      if (out !== undefined) await writeFile(out, text);
      else writeStdout(text);
    });
}
