/**
 * Compares two results documents benchmark by benchmark (matched by name and
 * thread count), the way benchstat does: old and new median ns/op, the
 * change, a 95% confidence interval of the change (Hodges–Lehmann interval of
 * new ÷ old), the Mann–Whitney U p-value, and `~` where the change is not
 * significant. A geomean row over the matched benchmarks; benchmarks found
 * in only one file are listed, not silently dropped.
 */

import type { BenchmarkResult, ResultsDocument } from '../results/schema.js';
import { geomean, median } from '../stats.js';
import { displayName, formatNumber } from './figures.js';
import { contrast } from './findings.js';
import { mdCell } from './markdown.js';
import { alignTable } from './text.js';

/** Significance level of `compare`. */
export const COMPARE_ALPHA = 0.05;
/** With fewer samples on a side, the smallest two-sided Mann–Whitney p (3 vs 3: 0.1) cannot reach 0.05. */
const MIN_SAMPLES_FOR_TEST = 4;

/** One benchmark found in both documents, old against new. */
export interface BenchmarkChange {
  /** Display name (`GetPut/pool=sync-2`). */
  name: string;
  /** Worker threads (part of the match key with the name). */
  threads: number;
  /** Median ns/op in the old document. */
  oldMedian: number;
  /** Median ns/op in the new document. */
  newMedian: number;
  /** Samples in the old document. */
  oldN: number;
  /** Samples in the new document. */
  newN: number;
  /** (new ÷ old − 1) × 100 of the medians. */
  changePct: number;
  /** Lower end of the 95% CI of the change, in %. */
  ciLowPct: number;
  /** Upper end of the 95% CI of the change, in %. */
  ciHighPct: number;
  /** Two-sided Mann–Whitney U p-value of old vs new ns/op samples. */
  p: number;
  /** p < 0.05 and the CI excludes 0. */
  significant: boolean;
}

/** The result of {@link compareResults}. */
export interface Comparison {
  /** Label of the old document (its file name on the command line). */
  oldFile: string;
  /** Label of the new document. */
  newFile: string;
  /** Benchmarks in both documents, in the old document's order. */
  changes: BenchmarkChange[];
  /** Geometric means over the matched benchmarks; null when none matched. */
  geomean: { oldNs: number; newNs: number; changePct: number } | null;
  /** Display names of benchmarks only in the old document. */
  onlyInOld: string[];
  /** Display names of benchmarks only in the new document. */
  onlyInNew: string[];
  /** How the two runs' machines differ (CPU, cores, kernel, Node, compiler): changes may come from there. */
  machineDifferences: string[];
  /** Names that occur more than once (same name and threads) in one document: only the last of each is compared. */
  duplicates: string[];
}

function key(b: BenchmarkResult): string {
  return `${b.name}\u0000${b.params.threads}`;
}

/**
 * Compares two results documents benchmark by benchmark (matched by name and
 * thread count): medians, change in %, its 95% CI, Mann–Whitney p-value and
 * significance (p < 0.05 and the CI excludes 0), a geomean, and what is in
 * only one of them.
 *
 * @example
 * ```ts
 * import { compareResults, readResultsFile } from 'poolscope';
 *
 * const cmp = compareResults(await readResultsFile('old/results.json'), await readResultsFile('new/results.json'));
 * for (const c of cmp.changes) console.log(c.name, c.significant ? `${c.changePct.toFixed(1)}%` : '~');
 * ```
 */
export function compareResults(
  oldDoc: ResultsDocument,
  newDoc: ResultsDocument,
  oldFile = 'old',
  newFile = 'new',
): Comparison {
  const olds = new Map(oldDoc.benchmarks.map((b) => [key(b), b]));
  const news = new Map(newDoc.benchmarks.map((b) => [key(b), b]));
  const duplicates = [
    ...new Set(
      [oldDoc, newDoc].flatMap((d) => {
        const seen = new Set<string>();
        return d.benchmarks.filter((b) => seen.size === seen.add(key(b)).size).map(displayName);
      }),
    ),
  ];
  const changes: BenchmarkChange[] = [];
  for (const [k, o] of olds) {
    const n = news.get(k);
    if (!n || o.samples.length === 0 || n.samples.length === 0) continue;
    const a = o.samples.map((s) => s.nsPerOp);
    const b = n.samples.map((s) => s.nsPerOp);
    const c = contrast(a, b);
    changes.push({
      name: displayName(n),
      threads: n.params.threads,
      oldMedian: median(a),
      newMedian: median(b),
      oldN: a.length,
      newN: b.length,
      changePct: (c.ratio - 1) * 100,
      ciLowPct: (c.low - 1) * 100,
      ciHighPct: (c.high - 1) * 100,
      p: c.p,
      significant: c.significant,
    });
  }
  const listOnly = (from: Map<string, BenchmarkResult>, other: Map<string, BenchmarkResult>) =>
    [...from].filter(([k]) => !other.has(k)).map(([, b]) => displayName(b));
  const gOld = geomean(changes.map((c) => c.oldMedian));
  const gNew = geomean(changes.map((c) => c.newMedian));
  const machineDifferences: string[] = [];
  const m0 = oldDoc.machine;
  const m1 = newDoc.machine;
  for (const k of ['cpuModel', 'logicalCores', 'kernel', 'node', 'compiler'] as const) {
    if (m0[k] !== m1[k]) machineDifferences.push(`${k}: ${String(m0[k])} → ${String(m1[k])}`);
  }
  return {
    oldFile,
    newFile,
    machineDifferences,
    duplicates,
    changes,
    geomean: changes.length > 0 && gOld > 0 ? { oldNs: gOld, newNs: gNew, changePct: (gNew / gOld - 1) * 100 } : null,
    onlyInOld: listOnly(olds, news),
    onlyInNew: listOnly(news, olds),
  };
}

/** Significant slowdowns larger than `thresholdPct` (the `--fail-on-regression` test). */
export function regressions(cmp: Comparison, thresholdPct: number): BenchmarkChange[] {
  return cmp.changes.filter((c) => c.significant && c.changePct > thresholdPct);
}

function pct(x: number): string {
  if (!Number.isFinite(x)) return '—';
  return `${x >= 0 ? '+' : ''}${x.toFixed(Math.abs(x) >= 10 ? 0 : 1)}%`;
}

function formatPValue(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

/** One sentence: what changed, or "no significant change". */
export function verdict(cmp: Comparison): string {
  if (cmp.changes.length === 0) return 'no benchmark is in both files: nothing to compare';
  const sig = cmp.changes.filter((c) => c.significant);
  const few = cmp.changes.filter((c) => Math.min(c.oldN, c.newN) < MIN_SAMPLES_FOR_TEST).length;
  const fewNote =
    few > 0
      ? `; ${few} of them have fewer than ${MIN_SAMPLES_FOR_TEST} samples on a side, too few for any change to reach p < ${COMPARE_ALPHA}: rerun with more repeats`
      : '';
  if (sig.length === 0) {
    return `no significant change (${cmp.changes.length} benchmarks, Mann–Whitney p ≥ ${COMPARE_ALPHA}${fewNote})`;
  }
  const slower = sig.filter((c) => c.changePct > 0).length;
  return `${sig.length} of ${cmp.changes.length} benchmarks changed significantly: ${slower} slower, ${sig.length - slower} faster`;
}

interface Row {
  cells: string[];
}

function rows(cmp: Comparison): { header: string[]; body: Row[] } {
  const header = ['benchmark', 'old ns/op', 'new ns/op', 'change', '95% CI of change', 'p', 'n'];
  const body = cmp.changes.map((c) => ({
    cells: [
      c.name,
      formatNumber(c.oldMedian),
      formatNumber(c.newMedian),
      c.significant ? pct(c.changePct) : '~',
      `${pct(c.ciLowPct)} … ${pct(c.ciHighPct)}`,
      formatPValue(c.p),
      `${c.oldN}+${c.newN}`,
    ],
  }));
  if (cmp.geomean) {
    body.push({
      cells: [
        'geomean',
        formatNumber(cmp.geomean.oldNs),
        formatNumber(cmp.geomean.newNs),
        pct(cmp.geomean.changePct),
        '',
        '',
        '',
      ],
    });
  }
  return { header, body };
}

export function renderCompareText(cmp: Comparison): string {
  const { header, body } = rows(cmp);
  const out = [`old: ${cmp.oldFile}`, `new: ${cmp.newFile}`, ''];
  if (cmp.machineDifferences.length > 0) {
    out.push(`different machines or builds (${cmp.machineDifferences.join('; ')}): a change may come from there`, '');
  }
  if (cmp.changes.length > 0) {
    out.push(
      ...alignTable({ header, align: header.map((_, i) => (i === 0 ? 'l' : 'r')), rows: body.map((r) => r.cells) }),
    );
    out.push('', '~: not significant (Mann–Whitney U p ≥ 0.05, or the 95% CI of the change contains 0)');
  }
  if (cmp.onlyInOld.length > 0) out.push('', `only in ${cmp.oldFile}: ${cmp.onlyInOld.join(', ')}`);
  if (cmp.onlyInNew.length > 0) out.push('', `only in ${cmp.newFile}: ${cmp.onlyInNew.join(', ')}`);
  if (cmp.duplicates.length > 0)
    out.push('', `named more than once (the last was compared): ${cmp.duplicates.join(', ')}`);
  out.push('', verdict(cmp));
  return `${out.join('\n')}\n`;
}

export function renderCompareMarkdown(cmp: Comparison): string {
  const { header, body } = rows(cmp);
  const out = [`# poolscope compare`, '', `old: \`${cmp.oldFile}\`, new: \`${cmp.newFile}\``, ''];
  if (cmp.machineDifferences.length > 0) {
    out.push(
      `Different machines or builds (${mdCell(cmp.machineDifferences.join('; '))}): a change may come from there.`,
      '',
    );
  }
  if (cmp.changes.length > 0) {
    out.push(
      `| ${header.join(' | ')} |`,
      `|:---|${header
        .slice(1)
        .map(() => '---:')
        .join('|')}|`,
    );
    for (const r of body) out.push(`| ${r.cells.map(mdCell).join(' | ')} |`);
    out.push('', '`~`: not significant (Mann–Whitney U p ≥ 0.05, or the 95% CI of the change contains 0).');
  }
  if (cmp.onlyInOld.length > 0) out.push('', `Only in old: ${cmp.onlyInOld.map(mdCell).join(', ')}`);
  if (cmp.onlyInNew.length > 0) out.push('', `Only in new: ${cmp.onlyInNew.map(mdCell).join(', ')}`);
  if (cmp.duplicates.length > 0) {
    out.push('', `Named more than once (the last was compared): ${cmp.duplicates.map(mdCell).join(', ')}`);
  }
  out.push('', `**${verdict(cmp)}**`, '');
  return out.join('\n');
}

export function renderCompareJson(cmp: Comparison): string {
  return `${JSON.stringify({ ...cmp, verdict: verdict(cmp) }, null, 2)}\n`;
}
