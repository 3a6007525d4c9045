/**
 * The peers table: for each pattern (get-put, batch K, producer-consumer,
 * gc-churn M) and object size, every alternative a user could pick — the
 * allocator peers and glibc (`alloc` scenario), Go's sync.Pool, Node's
 * allocation and JS pools, the harness's baselines — as a ratio to
 * poolscope's best `sync` variant measured in the same document, plus
 * findings stated from those ratios. Only what the document holds is
 * compared; a peer that could not run is listed with the reason the run
 * recorded in `config.peers`.
 *
 * Which figure is compared: each sample's ns/op (an op is one get+put or
 * allocate+free; in producer-consumer, the wall time per object moved, as
 * the harness and `go test` both count it).
 */

import { formatNumber, formatRatio } from '../number-format.js';
import { NODE_POOLS } from '../peers/node-alloc.js';
import { ALLOCATOR_KINDS, ALLOCATOR_PEERS } from '../pool.js';
import type { BenchmarkResult, ResultsDocument } from '../results/schema.js';
import { median } from '../stats.js';
import { contrast } from './findings.js';
import type { Table } from './table.js';

/** `params.pool` values that are peers (not poolscope's own pool or the harness's baselines). */
export const PEER_POOL_NAMES = [...ALLOCATOR_PEERS, 'go-sync', ...NODE_POOLS] as const;

/** The allocators every pattern is held against: glibc's malloc and the allocator peers. */
const ALLOCATOR_POOLS: readonly string[] = ALLOCATOR_KINDS;

/** One alternative at one pattern and size. */
export interface PeerRow {
  /** `get-put`, `batch K=32`, `producer-consumer`, `gc-churn M=4096`. */
  pattern: string;
  objectSize: number;
  pool: string;
  /** The benchmark behind the row: the pool's fastest variant at this pattern and size. */
  benchmark: string;
  /** Median of the compared figure (see the file comment), ns. */
  ns: number;
  samples: number[];
  /** ns ÷ poolscope's best; 1 for poolscope's own row; null when the document has no poolscope result here. */
  ratio: number | null;
  /**
   * Median gets served by stealing from another thread, per object moved (producer-consumer only):
   * poolscope's sync pool from its counters, Go's from `go test`'s `steals/op`; null for the others
   * (allocators and baselines have nothing to steal from) and other patterns.
   */
  stealsPerOp: number | null;
}

/** A peer that did not run, as the run recorded it. */
export interface MissingPeer {
  name: string;
  state: string;
  reason: string;
}

/**
 * A line under the peers table: one pattern's ratios, or a target of the
 * README checked. Not stored in the document (the peers section is drawn
 * from the rows each time); `significant` is the test of the nearest gap.
 */
export interface PeerFinding {
  /** The pattern (`get-put`, `batch K=16`). */
  scenario: string;
  text: string;
  significant: boolean;
}

/** The peers table's rows, the findings stated from them, and the peers that did not run. */
export interface PeersReport {
  rows: PeerRow[];
  findings: PeerFinding[];
  missing: MissingPeer[];
}

/** The pattern a benchmark measures, or null when it is not one the peers table compares. */
export function patternOf(b: BenchmarkResult): string | null {
  const p = b.params;
  const batch = typeof p.batch === 'number' ? p.batch : 1;
  switch (p.scenario) {
    case 'get-put':
      return p.threads === 1 ? 'get-put' : null;
    case 'alloc':
      if (p.threads !== 1) return null;
      return batch <= 1 ? 'get-put' : `batch K=${batch}`;
    case 'batch':
      return p.threads === 1 ? `batch K=${batch}` : null;
    case 'producer-consumer':
      return p.threads === 2 ? 'producer-consumer' : null;
    case 'gc-churn':
      if (p.threads !== 1 || p.victim === false || batch > 1) return null;
      return `gc-churn M=${String(p.clearEvery ?? '?')}`;
    default:
      return null;
  }
}

function figureSamples(b: BenchmarkResult): number[] {
  return b.samples.map((s) => s.nsPerOp);
}

/**
 * Steals per object moved, median over the samples, for a producer-consumer benchmark: the harness
 * counts ops per worker (a get on the producer, a put on the consumer), so an object moved is
 * threads ÷ ops of a sample, as ns/op is; `go test` reports steals per object (`steals/op`) itself.
 */
function handoffSteals(b: BenchmarkResult): number | null {
  if (b.params.scenario !== 'producer-consumer') return null;
  // Only poolscope's own pool steals from other threads' caches: an allocator or a baseline's shared
  // stack has nothing to steal from, so no figure rather than a 0.
  const own =
    b.params.pool !== 'sync'
      ? []
      : b.samples.flatMap((x) =>
          x.sources !== undefined && x.ops > 0 ? [(x.sources.steal * b.params.threads) / x.ops] : [],
        );
  if (own.length > 0) return median(own);
  const go = b.samples.flatMap((x) => (x.metrics?.['steals/op'] === undefined ? [] : [x.metrics['steals/op']]));
  return go.length > 0 ? median(go) : null;
}

/** A size as people write it: 64 B, 4 KiB, 64 KiB. */
export function formatSize(bytes: number): string {
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}

function hasPeers(doc: ResultsDocument): boolean {
  return doc.benchmarks.some((b) => (PEER_POOL_NAMES as readonly string[]).includes(b.params.pool));
}

function missingPeers(doc: ResultsDocument): MissingPeer[] {
  const status = doc.config.peers as
    | {
        allocators?: Array<{ name?: unknown; state?: unknown; reason?: unknown }>;
        go?: { state?: unknown; reason?: unknown };
      }
    | undefined;
  const out: MissingPeer[] = [];
  if (typeof status !== 'object' || status === null) return out;
  for (const a of Array.isArray(status.allocators) ? status.allocators : []) {
    if (a.state !== 'loaded' && typeof a.name === 'string') {
      out.push({ name: a.name, state: String(a.state), reason: String(a.reason ?? '') });
    }
  }
  if (status.go && (status.go.state === 'not-installed' || status.go.state === 'failed')) {
    out.push({
      name: 'go-sync',
      state: String(status.go.state),
      reason: String(status.go.reason ?? '').split('\n')[0] ?? '',
    });
  }
  return out;
}

const POOL_LABEL: Record<string, string> = { sync: 'poolscope', malloc: 'glibc malloc' };
const label = (pool: string): string => POOL_LABEL[pool] ?? pool;

/**
 * Rows, findings and missing peers of a document (empty when it holds no peer results).
 *
 * @example
 * ```ts
 * import { peersReport, readResultsFile } from 'poolscope';
 *
 * const report = peersReport(await readResultsFile('bench-out/results.json'));
 * for (const f of report.findings) console.log(f.significant ? '•' : '~', f.text);
 * ```
 */
export function peersReport(doc: ResultsDocument): PeersReport {
  const missing = missingPeers(doc);
  if (!hasPeers(doc)) return { rows: [], findings: [], missing };
  // pattern|size -> pool -> fastest benchmark of that pool there
  const groups = new Map<string, { pattern: string; size: number; best: Map<string, PeerRow> }>();
  for (const b of doc.benchmarks) {
    const pattern = patternOf(b);
    if (pattern === null) continue;
    const samples = figureSamples(b);
    if (samples.length === 0) continue;
    const key = `${pattern}|${b.params.objectSize}`;
    let g = groups.get(key);
    if (!g) {
      g = { pattern, size: b.params.objectSize, best: new Map() };
      groups.set(key, g);
    }
    const ns = median(samples);
    const cur = g.best.get(b.params.pool);
    if (!cur || ns < cur.ns) {
      g.best.set(b.params.pool, {
        pattern,
        objectSize: b.params.objectSize,
        pool: b.params.pool,
        benchmark: b.name,
        ns,
        samples,
        ratio: null,
        stealsPerOp: handoffSteals(b),
      });
    }
  }
  const rows: PeerRow[] = [];
  const findings: PeerFinding[] = [];
  const ordered = [...groups.values()].sort((a, b) =>
    a.pattern === b.pattern ? a.size - b.size : a.pattern < b.pattern ? -1 : 1,
  );
  for (const g of ordered) {
    // Only groups with something to hold poolscope against.
    if (![...g.best.keys()].some((p) => p !== 'sync')) continue;
    const ref = g.best.get('sync');
    const list = [...g.best.values()].sort((a, b) => a.ns - b.ns);
    for (const r of list) r.ratio = ref ? r.ns / ref.ns : null;
    rows.push(...list);
    if (!ref) continue;
    const others = list.filter((r) => r.pool !== 'sync');
    const where = `${g.pattern}, ${formatSize(g.size)}`;
    const parts = others.map(
      (r) => `${label(r.pool)} ${formatNumber(r.ns)} ns (${formatRatio(r.ratio ?? Number.NaN)}${stealsText(r)})`,
    );
    const nearest = others[0];
    const c = nearest ? contrast(ref.samples, nearest.samples) : undefined;
    findings.push({
      scenario: g.pattern,
      text:
        `${where}: poolscope's best (${ref.benchmark}) takes ${formatNumber(ref.ns)} ns${ref.stealsPerOp === null ? '' : ` (${stealsText(ref).slice(2)})`}; ${parts.join(', ')}` +
        (nearest && c && !c.significant ? ` — the gap to ${label(nearest.pool)} is not significant` : ''),
      significant: c?.significant ?? false,
    });
  }
  findings.push(...targetFindings(rows));
  return { rows, findings, missing };
}

/** `, 0.08 steals/op` after a figure, or nothing when the row has no steal count. */
function stealsText(r: PeerRow): string {
  return r.stealsPerOp === null ? '' : `, ${formatNumber(r.stealsPerOp)} steals/op`;
}

/**
 * The targets the project set for itself (issue 12, README Peers), checked against this document:
 * get-put at 64 B ≥ 5× faster than the fastest allocator (glibc, jemalloc, tcmalloc, mimalloc) and
 * ≥ 10× faster than Go's sync.Pool; producer-consumer at each size no slower than every allocator
 * (so than the fastest) and at most 0.5× Go's time. A target whose peer did not run is not stated.
 */
function targetFindings(rows: readonly PeerRow[]): PeerFinding[] {
  const out: PeerFinding[] = [];
  const at = (pattern: string, size: number, pool: string) =>
    rows.find((r) => r.pattern === pattern && r.objectSize === size && r.pool === pool);
  const fastestAllocator = (pattern: string, size: number) =>
    rows
      .filter((r) => r.pattern === pattern && r.objectSize === size && ALLOCATOR_POOLS.includes(r.pool))
      .sort((a, b) => a.ns - b.ns);
  // speedup = peer ns ÷ poolscope ns; the target is met when it reaches `factor`.
  const check = (pattern: string, size: number, versus: PeerRow | undefined, factor: number, goal: string) => {
    const ref = at(pattern, size, 'sync');
    if (!ref || !versus) return;
    const c = contrast(ref.samples, versus.samples);
    const speedup = versus.ns / ref.ns;
    const met = speedup >= factor;
    out.push({
      scenario: pattern,
      text: `target ${pattern} ${formatSize(size)}: poolscope ${goal} — ${met ? 'met' : 'NOT met'} (${formatRatio(speedup)}: ${formatNumber(ref.ns)} vs ${formatNumber(versus.ns)} ns)`,
      significant: c.significant,
    });
  };
  const allocatorGoal = (list: readonly PeerRow[], what: string) =>
    `${what} (fastest of ${list.map((r) => label(r.pool)).join(', ')}: ${label(list[0]?.pool ?? 'none')})`;
  const getPutAllocators = fastestAllocator('get-put', 64);
  check('get-put', 64, getPutAllocators[0], 5, allocatorGoal(getPutAllocators, '≥ 5× faster than every allocator'));
  check('get-put', 64, at('get-put', 64, 'go-sync'), 10, "≥ 10× faster than Go's sync.Pool");
  for (const size of [64, 4096, 65536]) {
    const pcAllocators = fastestAllocator('producer-consumer', size);
    check('producer-consumer', size, pcAllocators[0], 1, allocatorGoal(pcAllocators, '≤ every allocator'));
    check('producer-consumer', size, at('producer-consumer', size, 'go-sync'), 2, "≤ 0.5× Go's sync.Pool");
  }
  return out;
}

/**
 * The peers table as cells (every format draws it its own way).
 *
 * @example
 * ```ts
 * import { peersReport, peersTable, readResultsFile } from 'poolscope';
 *
 * const table = peersTable(peersReport(await readResultsFile('bench-out/results.json')));
 * console.log(table.header.join('\t'));
 * for (const row of table.rows) console.log(row.join('\t'));
 * ```
 */
export function peersTable(report: PeersReport): Table {
  const header = ['pattern', 'size', 'pool', 'ns', '× poolscope', 'steals/op', 'benchmark'];
  const rows = report.rows.map((r) => [
    r.pattern,
    formatSize(r.objectSize),
    label(r.pool),
    formatNumber(r.ns),
    r.ratio === null ? '—' : formatRatio(r.ratio),
    r.stealsPerOp === null ? '' : formatNumber(r.stealsPerOp),
    r.benchmark,
  ]);
  for (const m of report.missing) rows.push(['—', '—', m.name, '—', m.state, '', m.reason]);
  return { header, align: ['l', 'r', 'l', 'r', 'r', 'r', 'l'], rows };
}

/** Footnote for the peers table. */
export const PEERS_NOTE =
  "Peers: each pool's fastest variant per pattern and size, as a ratio to poolscope's best sync variant in this run (>1× = slower than poolscope). ns is ns/op (an op is one get+put or allocate+free; producer-consumer: wall time per object moved, the producer getting or allocating, the consumer putting or freeing); steals/op: producer-consumer gets served by stealing from the other thread, per object moved.";

/** Columns of {@link peersPivot}, in order, where the report has them. */
const PIVOT_POOLS = [
  'sync',
  'tcmalloc',
  'mimalloc',
  'jemalloc',
  'malloc',
  'go-sync',
  'node-free-list',
  'node-sync-pool',
  'node-shared-buffer-pool',
  'node-alloc-unsafe',
  'node-alloc',
];

/**
 * The peers as one compact table: a row per pattern and size, a column per
 * pool, each cell `ns (ratio×)` (the README's table; `poolscope peers --pivot`).
 */
export function peersPivot(report: PeersReport): Table {
  const pools = PIVOT_POOLS.filter((p) => report.rows.some((r) => r.pool === p));
  const keys: string[] = [];
  const cells = new Map<string, Map<string, PeerRow>>();
  for (const r of report.rows) {
    const key = `${r.pattern}|${r.objectSize}`;
    let m = cells.get(key);
    if (!m) {
      m = new Map();
      cells.set(key, m);
      keys.push(key);
    }
    m.set(r.pool, r);
  }
  const rows = keys.map((key) => {
    const [pattern = '', size = '0'] = key.split('|');
    const m = cells.get(key) ?? new Map<string, PeerRow>();
    return [
      pattern,
      formatSize(Number(size)),
      ...pools.map((p) => {
        const r = m.get(p);
        if (!r) return '—';
        return r.ratio === null || p === 'sync'
          ? formatNumber(r.ns)
          : `${formatNumber(r.ns)} (${formatRatio(r.ratio)})`;
      }),
    ];
  });
  return {
    header: ['pattern', 'size', ...pools.map(label)],
    align: ['l', 'r', ...pools.map(() => 'r' as const)],
    rows,
  };
}
