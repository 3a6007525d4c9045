/**
 * Writes every file report of one run into a folder: the document itself
 * (with its findings and spreads, computed once unless it already stores
 * them), Markdown, HTML and Go benchmark text, all from that one analysis.
 * The harness's `bench` command calls this.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResultsDocument } from '../results/schema.js';
import { withAnalysis } from './analyze.js';
import { renderGoBench } from './gobench.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';

/** Paths of the files {@link writeReports} wrote. */
export interface WrittenReports {
  /** `results.json`: the document with its findings. */
  json: string;
  /** `report.md`. */
  markdown: string;
  /** `report.html`. */
  html: string;
  /** `bench.txt`: Go benchmark text for benchstat. */
  gobench: string;
}

/**
 * Writes `results.json`, `report.md`, `report.html` and `bench.txt` into
 * `outDir` (created if missing); returns their paths.
 *
 * @example
 * ```ts
 * import { readResultsFile, writeReports } from 'poolscope';
 *
 * const paths = await writeReports(await readResultsFile('results.json'), 'bench-out/again');
 * console.log(`open ${paths.html}`);
 * ```
 */
export async function writeReports(doc: ResultsDocument, outDir: string): Promise<WrittenReports> {
  await mkdir(outDir, { recursive: true });
  const analyzed: ResultsDocument = doc.findings ? doc : withAnalysis(doc);
  const paths: WrittenReports = {
    json: join(outDir, 'results.json'),
    markdown: join(outDir, 'report.md'),
    html: join(outDir, 'report.html'),
    gobench: join(outDir, 'bench.txt'),
  };
  await Promise.all([
    writeFile(paths.json, renderJson(analyzed)),
    writeFile(paths.markdown, renderMarkdown(analyzed)),
    writeFile(paths.html, renderHtml(analyzed)),
    writeFile(paths.gobench, renderGoBench(analyzed)),
  ]);
  return paths;
}
