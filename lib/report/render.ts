/** One entry point for every report format, by name (what `poolscope report --format` accepts). */

import { validateResults } from '../results/parse.js';
import type { ResultsDocument } from '../results/schema.js';
import { expectOneOf } from '../validate.js';
import { renderGoBench } from './gobench.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderText } from './text.js';

/** The formats {@link renderReport} (and `poolscope report --format`) accept. */
export const REPORT_FORMATS = ['text', 'md', 'html', 'gobench', 'json'] as const;
/** One of {@link REPORT_FORMATS}. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * Renders a results document: `text` (terminal table; ANSI colour only with
 * `color: true`), `md`, `html` (one self-contained page), `gobench` (Go
 * benchmark text for benchstat) or `json`.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { readResultsFile, renderReport } from 'poolscope';
 *
 * writeFileSync('report.html', renderReport(await readResultsFile('results.json'), 'html'));
 * ```
 */
export function renderReport(doc: ResultsDocument, format: ReportFormat, options: { color?: boolean } = {}): string {
  // Checked at run time too (callers in plain JS, documents built by hand): a typed error naming the field.
  const checked = validateResults(doc, 'renderReport document');
  const f = expectOneOf('format', format, REPORT_FORMATS);
  const color = typeof options === 'object' && options !== null && options.color === true;
  return renderChecked(checked, f, { color });
}

function renderChecked(doc: ResultsDocument, format: ReportFormat, options: { color: boolean }): string {
  switch (format) {
    case 'text':
      return renderText(doc, options);
    case 'md':
      return renderMarkdown(doc);
    case 'html':
      return renderHtml(doc);
    case 'gobench':
      return renderGoBench(doc);
    case 'json':
      return renderJson(doc);
  }
}
