/**
 * Compares runs benchmark by benchmark (matched by name and thread count):
 * one or more runs on each side, the run treated as a random effect.
 *
 * Method (Kalibera & Jones 2013: repeat at the level that has the variance):
 * a run is one process (a document from `bench --processes N` holds N runs,
 * its samples tagged with their process). Per benchmark, the statistic is the
 * mean over runs of each run's median
 * ln(ns/op); its standard error comes from a hierarchical bootstrap (runs
 * with replacement, then samples within each drawn run), seeded. With one run
 * on a side the run-to-run variance is unknown: a floor assumes it as large
 * as that run's spread across samples, and the output says so. p is two-sided
 * under the normal distribution of estimate ÷ SE; q is Benjamini–Hochberg
 * over the rows of the comparison, and a row is significant when q < 0.05.
 * Each row states its minimum detectable change (80% power at α = 0.05).
 */

import { formatNumber } from '../number-format.js';
import { samplesByProcess } from '../results/merge.js';
import { validateResults } from '../results/parse.js';
import type { BenchmarkResult, ResultsDocument } from '../results/schema.js';
import {
  benjaminiHochberg,
  geomean,
  hierarchicalBootstrap,
  median,
  seededRandom,
  studentQuantile,
  Z_975,
  Z_POWER_80,
} from '../stats.js';
import { describeValue } from '../validate.js';
import { displayName } from './figures.js';
import { goName } from './gobench.js';
import { GO_TEXT_VERSION } from './gobench-read.js';
import { mdCell } from './markdown.js';
import { isPlacementRandomized } from './placement.js';
import { alignTable } from './text.js';

/** False-discovery rate of `compare`: rows with q below it are significant. */
export const COMPARE_ALPHA = 0.05;
/** Bootstrap resamples per row unless the caller says otherwise. */
export const DEFAULT_RESAMPLES = 2000;
/** Seed of the bootstrap unless the caller gives one (`--seed`). */
export const DEFAULT_SEED = 1;
/** With fewer samples on a side (over its runs) a row is not tested: a median of 3 values has no spread to speak of. */
export const MIN_SAMPLES_FOR_TEST = 4;

/** One benchmark found on both sides, old against new. */
export interface BenchmarkChange {
  /** Display name (`GetPut/pool=sync-2`). */
  name: string;
  /** Worker threads (part of the match key with the name). */
  threads: number;
  /** Old ns/op: the geometric mean over runs of each run's median (the median with one run). */
  oldMedian: number;
  /** New ns/op, the same way. */
  newMedian: number;
  /** Samples on the old side, over all its runs. */
  oldN: number;
  /** Samples on the new side. */
  newN: number;
  /** Runs (processes: a document split across N processes counts N) on the old side that hold this benchmark. */
  oldRuns: number;
  /** Runs on the new side. */
  newRuns: number;
  /** (new ÷ old − 1) × 100. */
  changePct: number;
  /** Lower end of the 95% CI of the change, in % (per row, not adjusted for the number of rows). */
  ciLowPct: number;
  /** Upper end of the 95% CI of the change, in %. */
  ciHighPct: number;
  /** Two-sided p of this row. */
  p: number;
  /** Benjamini–Hochberg q over the rows of the comparison. */
  q: number;
  /** Smallest change (±%) this row would detect with 80% power at α = 0.05. */
  mdcPct: number;
  /** q < 0.05. */
  significant: boolean;
  /** A side has one run: the run-to-run variance is assumed (the one-run floor), not measured. */
  floored: boolean;
  /** Fewer than 4 samples on a side: not tested (p = 1), too few to estimate a spread. */
  tooFew: boolean;
}

/** The result of {@link compareRuns} and {@link compareResults}. */
export interface Comparison {
  /** Labels of the old runs (file names on the command line). */
  oldFiles: string[];
  /** Labels of the new runs. */
  newFiles: string[];
  /** The old labels joined (`a.json, b.json`). */
  oldFile: string;
  /** The new labels joined. */
  newFile: string;
  /** Benchmarks on both sides, in the first old run's order. */
  changes: BenchmarkChange[];
  /** Geometric means over the matched benchmarks; null when none matched. */
  geomean: { oldNs: number; newNs: number; changePct: number } | null;
  /** Display names of benchmarks only on the old side. */
  onlyInOld: string[];
  /** Display names of benchmarks only on the new side. */
  onlyInNew: string[];
  /** How the runs' machines differ (CPU, cores, kernel, Node, compiler): changes may come from there. */
  machineDifferences: string[];
  /** Names that occur more than once (same name and threads) in one document: only the last of each is compared. */
  duplicates: string[];
  /** The bootstrap's seed and resamples, to reproduce the numbers. */
  seed: number;
  resamples: number;
  /** Whether every run on the side says its samples were placement-randomized. */
  placementRandomized: { old: boolean; new: boolean };
}

/** Options of {@link compareRuns}. */
export interface CompareOptions {
  /** Labels of the old runs, in order. @default old-1, old-2, … */
  oldLabels?: readonly string[];
  /** Labels of the new runs. */
  newLabels?: readonly string[];
  /** Seed of the bootstrap. @default 1 */
  seed?: number;
  /** Bootstrap resamples per row, 100 to 100000. @default 2000 */
  resamples?: number;
}

/**
 * The match key: the Go name from the params (lib/report/gobench.ts) and the
 * threads, so a results.json and the bench.txt written from it match.
 */
function key(b: BenchmarkResult): string {
  return `${goName(b)}\u0000${b.params.threads}`;
}

/** A document read from Go benchmark text knows only its CPU model. */
function fromGoText(d: ResultsDocument): boolean {
  return d.tool.version === GO_TEXT_VERSION;
}

/** A 32-bit hash of a string (FNV-1a), so each row's bootstrap stream depends on the seed and its name, not on row order. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const MACHINE_FIELDS = ['cpuModel', 'logicalCores', 'kernel', 'node', 'compiler'] as const;

function checkOptions(options: unknown): Required<Pick<CompareOptions, 'seed' | 'resamples'>> {
  if (options === undefined) return { seed: DEFAULT_SEED, resamples: DEFAULT_RESAMPLES };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`options must be an object (received ${describeValue(options)})`);
  }
  const o = options as Record<string, unknown>;
  const seed = o.seed ?? DEFAULT_SEED;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`options.seed must be an integer ≥ 0 (received ${describeValue(seed)})`);
  }
  const resamples = o.resamples ?? DEFAULT_RESAMPLES;
  if (typeof resamples !== 'number' || !Number.isInteger(resamples) || resamples < 100 || resamples > 100_000) {
    throw new RangeError(
      `options.resamples must be an integer from 100 to 100000 (received ${describeValue(resamples)})`,
    );
  }
  return { seed, resamples };
}

function checkDocuments(side: string, docs: unknown, labels: readonly string[] | undefined): ResultsDocument[] {
  if (!Array.isArray(docs) || docs.length === 0) {
    throw new TypeError(`${side} must be a non-empty array of results documents (received ${describeValue(docs)})`);
  }
  return docs.map((d, i) => validateResults(d, labels?.[i] ?? `${side}[${i}]`));
}

/**
 * Compares old runs with new runs, benchmark by benchmark (matched by name
 * and thread count): the change with its 95% CI from a hierarchical
 * bootstrap over runs then samples, p, Benjamini–Hochberg q, the minimum
 * detectable change, a geomean, and what is on one side only.
 *
 * @example
 * ```ts
 * import { compareRuns, readResultsFile } from 'poolscope';
 *
 * const old = [await readResultsFile('a1/results.json'), await readResultsFile('a2/results.json')];
 * const neu = [await readResultsFile('b1/results.json'), await readResultsFile('b2/results.json')];
 * for (const c of compareRuns(old, neu, { seed: 7 }).changes) console.log(c.name, c.significant ? c.changePct : '~', c.mdcPct);
 * ```
 */
export function compareRuns(
  oldDocs: readonly ResultsDocument[],
  newDocs: readonly ResultsDocument[],
  options?: CompareOptions,
): Comparison {
  const { seed, resamples } = checkOptions(options);
  const oldChecked = checkDocuments('old', oldDocs, options?.oldLabels);
  const newChecked = checkDocuments('new', newDocs, options?.newLabels);
  const oldFiles = oldChecked.map((_, i) => options?.oldLabels?.[i] ?? `old-${i + 1}`);
  const newFiles = newChecked.map((_, i) => options?.newLabels?.[i] ?? `new-${i + 1}`);
  // key → the benchmark in each run (last one wins within a run), in first-seen order.
  const collect = (docs: readonly ResultsDocument[]) => {
    const byKey = new Map<string, BenchmarkResult[]>();
    for (const d of docs) {
      const inRun = new Map(d.benchmarks.map((b) => [key(b), b]));
      for (const [k, b] of inRun) {
        const list = byKey.get(k);
        if (list) list.push(b);
        else byKey.set(k, [b]);
      }
    }
    return byKey;
  };
  const olds = collect(oldChecked);
  const news = collect(newChecked);
  const duplicates = [
    ...new Set(
      [...oldChecked, ...newChecked].flatMap((d) => {
        const seen = new Set<string>();
        return d.benchmarks.filter((b) => seen.size === seen.add(key(b)).size).map(displayName);
      }),
    ),
  ];
  type Row = Omit<BenchmarkChange, 'q' | 'significant'>;
  const rows: Row[] = [];
  for (const [k, oldList] of olds) {
    const newList = news.get(k);
    if (!newList) continue;
    // A run is one process: a document split across processes (`bench --processes`) gives several.
    const oldRuns = oldList.flatMap(samplesByProcess).filter((r) => r.length > 0);
    const newRuns = newList.flatMap(samplesByProcess).filter((r) => r.length > 0);
    if (oldRuns.length === 0 || newRuns.length === 0) continue;
    const last = newList[newList.length - 1] as BenchmarkResult;
    const change = hierarchicalBootstrap(oldRuns, newRuns, {
      resamples,
      random: seededRandom((seed ^ hash(k)) >>> 0),
    });
    const runLevel = (runs: number[][]) => Math.exp(runs.reduce((s, r) => s + Math.log(median(r)), 0) / runs.length);
    // Intervals and the MDC on the same t reference as the test (the normal with a one-run floor).
    const tq = Number.isFinite(change.df) ? studentQuantile(0.025, change.df) : Z_975;
    const tp = Number.isFinite(change.df) ? studentQuantile(0.2, change.df) : Z_POWER_80;
    const half = tq * change.se;
    const mdc = (tq + tp) * change.se;
    const oldN = oldRuns.reduce((s, r) => s + r.length, 0);
    const newN = newRuns.reduce((s, r) => s + r.length, 0);
    const tooFew = Math.min(oldN, newN) < MIN_SAMPLES_FOR_TEST;
    rows.push({
      name: displayName(last),
      threads: last.params.threads,
      oldMedian: runLevel(oldRuns),
      newMedian: runLevel(newRuns),
      oldN,
      newN,
      oldRuns: oldRuns.length,
      newRuns: newRuns.length,
      changePct: (Math.exp(change.estimate) - 1) * 100,
      ciLowPct: (Math.exp(change.estimate - half) - 1) * 100,
      ciHighPct: (Math.exp(change.estimate + half) - 1) * 100,
      p: tooFew ? 1 : change.p,
      mdcPct: (Math.exp(mdc) - 1) * 100,
      floored: change.floored,
      tooFew,
    });
  }
  const qs = benjaminiHochberg(rows.map((r) => r.p));
  const changes: BenchmarkChange[] = rows.map((r, i) => {
    const q = qs[i] ?? 1;
    return { ...r, q, significant: q < COMPARE_ALPHA };
  });
  const listOnly = (from: Map<string, BenchmarkResult[]>, other: Map<string, BenchmarkResult[]>) =>
    [...from].filter(([k]) => !other.has(k)).map(([, list]) => displayName(list[0] as BenchmarkResult));
  const gOld = geomean(changes.map((c) => c.oldMedian));
  const gNew = geomean(changes.map((c) => c.newMedian));
  const machineDifferences: string[] = [];
  const m0 = (oldChecked[0] as ResultsDocument).machine;
  for (const d of [...oldChecked.slice(1), ...newChecked]) {
    const fields =
      fromGoText(d) || fromGoText(oldChecked[0] as ResultsDocument) ? (['cpuModel'] as const) : MACHINE_FIELDS;
    for (const k of fields) {
      const diff = `${k}: ${String(m0[k])} → ${String(d.machine[k])}`;
      if (m0[k] !== d.machine[k] && !machineDifferences.includes(diff)) machineDifferences.push(diff);
    }
  }
  return {
    oldFiles,
    newFiles,
    oldFile: oldFiles.join(', '),
    newFile: newFiles.join(', '),
    machineDifferences,
    duplicates,
    changes,
    geomean: changes.length > 0 && gOld > 0 ? { oldNs: gOld, newNs: gNew, changePct: (gNew / gOld - 1) * 100 } : null,
    onlyInOld: listOnly(olds, news),
    onlyInNew: listOnly(news, olds),
    seed,
    resamples,
    placementRandomized: {
      old: oldChecked.every(isPlacementRandomized),
      new: newChecked.every(isPlacementRandomized),
    },
  };
}

/**
 * Compares two results documents (one run per side): see {@link compareRuns}.
 * Both are checked at run time; a document that is not one throws
 * `ResultsFormatError` naming the field.
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
  options: Omit<CompareOptions, 'oldLabels' | 'newLabels'> = {},
): Comparison {
  if (typeof oldFile !== 'string' || typeof newFile !== 'string') {
    throw new TypeError(
      `oldFile and newFile must be strings (received ${describeValue(oldFile)}, ${describeValue(newFile)})`,
    );
  }
  return compareRuns([oldDoc], [newDoc], { ...checkOptions(options), oldLabels: [oldFile], newLabels: [newFile] });
}

/** Significant slowdowns larger than `thresholdPct` (the `--fail-on-regression` test: the same q < 0.05). */
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

/** What the statistics could not measure: the run-to-run variance with one run on a side, and placement. */
export function caveats(cmp: Comparison): string[] {
  const out: string[] = [];
  if (cmp.changes.some((c) => c.floored)) {
    const one = cmp.oldFiles.length === 1 && cmp.newFiles.length === 1 ? 'one run per side' : 'one run on a side';
    out.push(
      `${one}: the run-to-run variance is unknown; it is assumed as large as each run's spread across samples ` +
        '(the one-run floor), which widens the intervals. Give 2+ runs per side (compare B1 B2 --against A1 A2) to measure it.',
    );
  }
  if (!cmp.placementRandomized.old || !cmp.placementRandomized.new) {
    out.push(
      'not every run was placement-randomized: samples of one run share one code, stack and data placement, so a change can be placement.',
    );
  }
  return out;
}

/** One sentence: what changed, or "no significant change". */
export function verdict(cmp: Comparison): string {
  if (cmp.changes.length === 0) return 'no benchmark is on both sides: nothing to compare';
  const sig = cmp.changes.filter((c) => c.significant);
  const runs = `${cmp.oldFiles.length} vs ${cmp.newFiles.length} run${cmp.oldFiles.length + cmp.newFiles.length > 2 ? 's' : ''}`;
  const few = cmp.changes.filter((c) => c.tooFew).length;
  const fewNote =
    few > 0
      ? `; ${few} of them have fewer than ${MIN_SAMPLES_FOR_TEST} samples on a side, too few to test: rerun with more repeats`
      : '';
  if (sig.length === 0) {
    return `no significant change (${cmp.changes.length} benchmarks, ${runs}, Benjamini–Hochberg q ≥ ${COMPARE_ALPHA}${fewNote})`;
  }
  const slower = sig.filter((c) => c.changePct > 0).length;
  return `${sig.length} of ${cmp.changes.length} benchmarks changed significantly (q < ${COMPARE_ALPHA}, ${runs}): ${slower} slower, ${sig.length - slower} faster`;
}

const NOTE =
  '~: not significant (Benjamini–Hochberg q ≥ 0.05 over the rows). CI: 95%, per row. MDC: the smallest change the row would detect ' +
  '(80% power). Hierarchical bootstrap over runs, then samples';

function rows(cmp: Comparison): { header: string[]; body: string[][] } {
  const header = ['benchmark', 'old ns/op', 'new ns/op', 'change', '95% CI of change', 'p', 'q', 'MDC', 'runs×n'];
  const body = cmp.changes.map((c) => [
    c.name,
    formatNumber(c.oldMedian),
    formatNumber(c.newMedian),
    c.significant ? pct(c.changePct) : '~',
    `${pct(c.ciLowPct)} … ${pct(c.ciHighPct)}`,
    formatPValue(c.p),
    formatPValue(c.q),
    `±${Math.abs(c.mdcPct) >= 10 ? c.mdcPct.toFixed(0) : c.mdcPct.toFixed(1)}%`,
    `${c.oldRuns}×${c.oldN}+${c.newRuns}×${c.newN}`,
  ]);
  if (cmp.geomean) {
    body.push([
      'geomean',
      formatNumber(cmp.geomean.oldNs),
      formatNumber(cmp.geomean.newNs),
      pct(cmp.geomean.changePct),
      '',
      '',
      '',
      '',
      '',
    ]);
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
    out.push(...alignTable({ header, align: header.map((_, i) => (i === 0 ? 'l' : 'r')), rows: body }));
    out.push('', `${NOTE} (seed ${cmp.seed}, ${cmp.resamples} resamples).`);
    for (const c of caveats(cmp)) out.push(c);
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
    for (const r of body) out.push(`| ${r.map(mdCell).join(' | ')} |`);
    out.push('', `${mdCell(NOTE)} (seed ${cmp.seed}, ${cmp.resamples} resamples).`);
    for (const c of caveats(cmp)) out.push('', mdCell(c));
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
  return `${JSON.stringify({ ...cmp, verdict: verdict(cmp), caveats: caveats(cmp) }, null, 2)}\n`;
}
