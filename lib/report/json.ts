/** The JSON report: the results document itself, pretty-printed (what `parseResults` reads back). */
import type { ResultsDocument } from '../results/schema.js';

export function renderJson(doc: ResultsDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
