/** One entry point for every report format, by name (what `poolscope report --format` accepts). */
import { renderGoBench } from './gobench.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import type { ResultsDocument } from './schema.js';
import { renderText } from './text.js';

export const REPORT_FORMATS = ['text', 'md', 'html', 'gobench', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function renderReport(doc: ResultsDocument, format: ReportFormat, options: { color?: boolean } = {}): string {
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
