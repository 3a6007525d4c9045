/**
 * The analysis of a document, done once: its findings and each benchmark's
 * spread. `withAnalysis` stores both in the document (results.json carries
 * them); renderers read what is stored (`storedFindings`, `benchmarkSpread`)
 * and compute only for a document that has none (one built in memory, or
 * read from schema 1).
 */

import type { BenchmarkResult, Finding, ResultsDocument, Spread } from '../results/schema.js';
import { computeFindings } from './findings.js';
import { isPlacementRandomized, placementSpread } from './placement.js';

/** What {@link analyzeDocument} computes. */
export interface Analysis {
  findings: Finding[];
  /** Per benchmark, in the document's order: its spread (undefined with fewer than 3 samples). */
  spreads: Array<Spread | undefined>;
}

/**
 * Findings and spreads of a document, computed from its samples.
 *
 * @example
 * ```ts
 * import { analyzeDocument, readResultsFile } from 'poolscope';
 *
 * const { findings } = analyzeDocument(await readResultsFile('results.json'));
 * console.log(findings.filter((f) => f.kind === 'effect').length, 'effects');
 * ```
 */
export function analyzeDocument(doc: ResultsDocument): Analysis {
  const randomized = isPlacementRandomized(doc);
  return {
    findings: computeFindings(doc),
    spreads: doc.benchmarks.map((b) => placementSpread(b, randomized)),
  };
}

/**
 * The document with its analysis stored: `findings`, and `spread` on every
 * benchmark that has one. What `bench` and `run` write as results.json.
 *
 * @example
 * ```ts
 * import { readResultsFile, withAnalysis } from 'poolscope';
 *
 * const doc = withAnalysis(await readResultsFile('results.json'));
 * console.log(doc.benchmarks[0]?.spread?.pct, doc.findings?.length);
 * ```
 */
export function withAnalysis(doc: ResultsDocument): ResultsDocument {
  const { findings, spreads } = analyzeDocument(doc);
  const benchmarks = doc.benchmarks.map((b, i): BenchmarkResult => {
    const spread = spreads[i];
    const { spread: _old, ...rest } = b;
    return spread ? { ...rest, spread } : rest;
  });
  return { ...doc, benchmarks, findings };
}

/**
 * The findings stored in the document, or computed now when it stores none.
 *
 * @example
 * ```ts
 * import { findingText, readResultsFile, storedFindings } from 'poolscope';
 *
 * for (const f of storedFindings(await readResultsFile('bench-out/results.json'))) console.log(f.kind, findingText(f));
 * ```
 */
export function storedFindings(doc: ResultsDocument): Finding[] {
  return doc.findings ?? computeFindings(doc);
}

/** A benchmark's stored spread, or computed now. */
export function benchmarkSpread(doc: ResultsDocument, b: BenchmarkResult): Spread | undefined {
  return b.spread ?? placementSpread(b, isPlacementRandomized(doc));
}
