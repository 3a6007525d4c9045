/**
 * One self-contained HTML page: no script, no external resource of any kind
 * (a Content-Security-Policy of `default-src 'none'` enforces it). Machine
 * and counter states on top, the findings, one SVG chart per scenario
 * (horizontal bars of median ns/op with 95% CI whiskers, coloured by pool, a
 * log scale when the values span more than 20×), then the full table.
 */

import { formatNumber } from '../number-format.js';
import type { BenchmarkResult, Finding, ResultsDocument } from '../results/schema.js';
import { benchmarkSpread, storedFindings } from './analyze.js';
import { byScenario, displayName, machineLine, nsPerOpStats, samplingLine, scenarioDescription } from './figures.js';
import { findingMark, findingText, groupFindings } from './finding-text.js';
import { PEERS_NOTE, peersReport, peersTable } from './peers.js';
import { formatSpread, spreadHeading } from './placement.js';
import { benchmarkTable, CI_NOTE } from './table.js';

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563'];

/** A stable colour per pool across all charts of the page. */
function poolColors(doc: ResultsDocument): Map<string, string> {
  const pools = [...new Set(doc.benchmarks.map((b) => b.params.pool))];
  return new Map(pools.map((p, i) => [p, PALETTE[i % PALETTE.length] as string]));
}

/** The bar label: the name without the scenario part, plus the thread suffix. */
/** Longest bar label drawn whole (the label column is capped); longer ones lose their middle, the tooltip has all. */
const MAX_LABEL = 60;

function barLabel(b: BenchmarkResult): string {
  const full = displayName(b);
  const slash = full.indexOf('/');
  const label = slash >= 0 ? full.slice(slash + 1) : full;
  if (label.length <= MAX_LABEL) return label;
  const keep = (MAX_LABEL - 1) / 2;
  return `${label.slice(0, Math.ceil(keep))}…${label.slice(label.length - Math.floor(keep))}`;
}

interface Scale {
  x(v: number): number;
  ticks: number[];
  log: boolean;
}

function niceStep(span: number): number {
  const raw = span / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

function makeScale(lo: number, hi: number, width: number): Scale {
  if (lo > 0 && hi / lo > 20) {
    // From the power of ten below the smallest value to just past the largest; ticks at 1-2-5 when few decades.
    const a = Math.floor(Math.log10(lo));
    const b = Math.log10(hi * 1.15);
    const steps = b - a <= 3 ? [1, 2, 5] : [1];
    const ticks: number[] = [];
    for (let e = a; e <= Math.ceil(b); e++) {
      for (const m of steps) if (Math.log10(m * 10 ** e) <= b) ticks.push(m * 10 ** e);
    }
    return { x: (v) => ((Math.log10(Math.max(v, 10 ** a)) - a) / (b - a)) * width, ticks, log: true };
  }
  const step = niceStep(hi || 1);
  const top = Math.ceil((hi || 1) / step) * step;
  const ticks: number[] = [];
  for (let t = 0; t <= top + step / 2; t += step) ticks.push(t);
  return { x: (v) => (v / top) * width, ticks, log: false };
}

/** Axis labels without padding zeros: 0, 5, 10, 0.01, 1000. */
function tickLabel(t: number): string {
  return t >= 1000 ? Math.round(t).toLocaleString('en-US') : String(Number(t.toPrecision(6)));
}

function chart(
  doc: ResultsDocument,
  scenario: string,
  list: readonly BenchmarkResult[],
  colors: Map<string, string>,
): string {
  const rows = list.filter((b) => b.samples.length > 0 || b.summary.nsPerOp.n > 0);
  if (rows.length === 0) {
    return `<svg class="chart" data-scenario="${escapeHtml(scenario)}" viewBox="0 0 1100 40"><text x="10" y="24" class="axis" text-anchor="start">no samples</text></svg>`;
  }
  const stats = rows.map(nsPerOpStats);
  // Drawn at the card's width (1100 user units, scaled by CSS); the label column fits the longest label.
  const width = 1100;
  const labelW = Math.min(440, 24 + 7 * Math.max(10, ...rows.map((b) => barLabel(b).length)));
  const plotW = width - labelW - 70;
  const rowH = 26;
  const top = 10;
  // A half-row gap where the thread count changes, so the 1-thread and N-thread groups read apart.
  const rowY: number[] = [];
  let next = top;
  rows.forEach((b, i) => {
    if (i > 0 && b.params.threads !== rows[i - 1]?.params.threads) next += rowH / 2;
    rowY.push(next);
    next += rowH;
  });
  const height = next + 40;
  const lo = Math.min(...stats.map((s) => Math.min(s.median, s.ciLow)).filter((v) => v > 0));
  const hi = Math.max(...stats.map((s) => Math.max(s.median, s.ciHigh)));
  const scale = makeScale(lo, hi, plotW);
  const parts: string[] = [];
  const axisY = next + 4;
  for (const t of scale.ticks) {
    const x = labelW + scale.x(t);
    parts.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${axisY}" class="grid"/>`);
    parts.push(`<text x="${x}" y="${axisY + 14}" class="tick">${escapeHtml(tickLabel(t))}</text>`);
  }
  rows.forEach((b, i) => {
    const s = stats[i];
    if (!s) return;
    const y = rowY[i] ?? top;
    const color = colors.get(b.params.pool) ?? '#4b5563';
    const w = Math.max(1, scale.x(s.median));
    const spread = benchmarkSpread(doc, b);
    const title = `${displayName(b)}: median ${formatNumber(s.median)} ns/op, 95% CI ${formatNumber(s.ciLow)}–${formatNumber(s.ciHigh)}, n=${s.n}${spread ? `, ${spreadHeading(doc)} ${formatSpread(spread)}` : ''}`;
    parts.push(`<g><title>${escapeHtml(title)}</title>`);
    parts.push(`<text x="${labelW - 8}" y="${y + rowH / 2 + 4}" class="label">${escapeHtml(barLabel(b))}</text>`);
    parts.push(
      `<rect x="${labelW}" y="${y + 5}" width="${w.toFixed(1)}" height="${rowH - 10}" fill="${color}" rx="2"/>`,
    );
    const x1 = labelW + scale.x(s.ciLow);
    const x2 = labelW + scale.x(s.ciHigh);
    const cy = y + rowH / 2;
    parts.push(
      `<path d="M${x1.toFixed(1)} ${cy}H${x2.toFixed(1)}M${x1.toFixed(1)} ${cy - 5}V${cy + 5}M${x2.toFixed(1)} ${cy - 5}V${cy + 5}" class="whisker"/>`,
    );
    parts.push(
      `<text x="${(Math.max(labelW + w, x2) + 6).toFixed(1)}" y="${cy + 4}" class="value">${escapeHtml(formatNumber(s.median))}</text></g>`,
    );
  });
  parts.push(
    `<text x="${labelW + plotW / 2}" y="${axisY + 30}" class="axis">ns/op, median with 95% CI${scale.log ? ' (log scale)' : ''}</text>`,
  );
  return (
    `<svg class="chart" data-scenario="${escapeHtml(scenario)}" viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMinYMin meet" ` +
    `role="img" aria-label="${escapeHtml(`${scenario}: median ns/op per benchmark`)}">${parts.join('')}</svg>`
  );
}

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #111827; background: #f9fafb; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #e5e7eb; padding-bottom: 4px; }
.sub { color: #4b5563; margin: 0 0 16px; }
.card { background: #fff; border: 1px solid #e5e7eb; border-radius: 8px; padding: 12px 16px; margin: 12px 0; overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid #f3f4f6; text-align: right; white-space: nowrap; }
th { background: #f3f4f6; font-weight: 600; white-space: normal; vertical-align: bottom; min-width: 3.5em; }
td.l, th.l { text-align: left; }
td.wrap { white-space: normal; }
.state { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; }
.state.counted { background: #dcfce7; color: #166534; }
.state.other { background: #fef3c7; color: #92400e; }
ul.findings { margin: 0; padding-left: 20px; }
ul.findings li { margin: 4px 0; }
ul.findings li.ns { color: #6b7280; }
h3 { font-size: 14px; margin: 12px 0 4px; }
h3:first-child { margin-top: 0; }
details { margin: 2px 0 6px 20px; color: #6b7280; }
summary { cursor: pointer; }
.legend span { display: inline-block; margin-right: 14px; }
.legend i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
svg.chart { font-size: 12px; width: 100%; height: auto; display: block; }
svg .grid { stroke: #e5e7eb; }
svg .tick { fill: #6b7280; text-anchor: middle; }
svg .label { fill: #111827; text-anchor: end; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 11.5px; }
svg .value { fill: #374151; }
svg .axis { fill: #4b5563; text-anchor: middle; }
svg .whisker { stroke: #111827; stroke-width: 1.3; fill: none; }
.note { color: #6b7280; font-size: 12px; }
.about { color: #374151; margin: 0 0 8px; }
`;

/** `1 not significant, 2 not compared`: what a folded list of findings holds, by kind. */
function restSummary(rest: readonly Finding[]): string {
  const count = (pred: (f: Finding) => boolean) => rest.filter(pred).length;
  const parts: Array<[number, string]> = [
    [count((f) => f.kind === 'not-significant'), 'not significant'],
    [count((f) => f.kind === 'effect'), 'within the spread'],
    [count((f) => f.kind === 'placement'), 'placement (1 thread)'],
    [count((f) => f.kind === 'not-exercised'), 'not compared'],
  ];
  return parts
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n} ${what}`)
    .join(', ');
}

export function renderHtml(doc: ResultsDocument): string {
  const colors = poolColors(doc);
  const findings = storedFindings(doc);
  const table = benchmarkTable(doc);
  const cell = (s: string, i: number, tag: 'td' | 'th') => {
    const text = tag === 'th' ? escapeHtml(s).replace(/-/g, '-<wbr>').replace(/\//g, '<wbr>/') : escapeHtml(s);
    return `<${tag}${table.align[i] === 'l' ? ' class="l"' : ''}>${text}</${tag}>`;
  };
  const body: string[] = [];
  body.push(`<h1>poolscope results</h1>`);
  body.push(
    `<p class="sub">poolscope ${escapeHtml(doc.tool.version)}, started ${escapeHtml(doc.startedAt)}${doc.interrupted ? ' — <b>interrupted</b>: the tables hold what finished' : ''}</p>`,
  );
  body.push(`<div class="card"><b>Machine:</b> ${escapeHtml(machineLine(doc))}</div>`);
  const sampling = samplingLine(doc);
  if (sampling !== undefined) body.push(`<div class="card"><b>Sampling:</b> ${escapeHtml(sampling)}</div>`);
  body.push(
    '<div class="card"><table><thead><tr><th class="l">event</th><th class="l">state</th><th class="l">reason</th></tr></thead><tbody>',
  );
  if (doc.events.length === 0)
    body.push('<tr><td class="l" colspan="3">no counters were requested in this run</td></tr>');
  for (const e of doc.events) {
    body.push(
      `<tr><td class="l">${escapeHtml(e.name)}</td><td class="l"><span class="state ${e.state === 'counted' ? 'counted' : 'other'}">${e.state}</span></td><td class="l wrap">${escapeHtml(e.reason ?? '')}</td></tr>`,
    );
  }
  body.push('</tbody></table></div>');
  body.push('<h2>Findings</h2><div class="card">');
  if (findings.length === 0) body.push('<p>No finding: the document lacks the benchmarks a finding compares.</p>');
  for (const g of groupFindings(findings)) {
    body.push(`<h3>${escapeHtml(g.scenario)}</h3>`);
    if (g.headline.length > 0) {
      body.push(
        `<ul class="findings">${g.headline.map((f) => `<li data-kind="${f.kind}">${escapeHtml(findingText(f))}</li>`).join('')}</ul>`,
      );
    }
    if (g.rest.length > 0) {
      // Folded (native <details>, no script): not significant, within the spread, placement, not compared.
      body.push(
        `<details><summary>${escapeHtml(restSummary(g.rest))}</summary><ul class="findings">${g.rest.map((f) => `<li class="ns" data-kind="${f.kind}">${escapeHtml(`${findingMark(f)} ${findingText(f)}`)}</li>`).join('')}</ul></details>`,
      );
    }
  }
  body.push('</div>');
  // Peers section (lib/report/peers.ts, owned by the peers work): only when the document holds peers.
  const peers = peersReport(doc);
  if (peers.rows.length > 0 || peers.missing.length > 0) {
    const pt = peersTable(peers);
    const pcell = (s: string, i: number, tag: 'td' | 'th') =>
      `<${tag}${pt.align[i] === 'l' ? ' class="l"' : ''}>${escapeHtml(s)}</${tag}>`;
    body.push('<h2 id="peers">Peers</h2><div class="card"><table><thead><tr>');
    body.push(pt.header.map((h, i) => pcell(h, i, 'th')).join(''));
    body.push('</tr></thead><tbody>');
    for (const r of pt.rows) body.push(`<tr>${r.map((c, i) => pcell(c, i, 'td')).join('')}</tr>`);
    body.push(`</tbody></table><p class="note">${escapeHtml(PEERS_NOTE)}</p><ul class="findings">`);
    for (const f of peers.findings) body.push(`<li${f.significant ? '' : ' class="ns"'}>${escapeHtml(f.text)}</li>`);
    body.push('</ul></div>');
  }
  body.push(
    `<div class="legend">${[...colors].map(([p, c]) => `<span><i style="background:${c}"></i>${escapeHtml(p)}</span>`).join('')}</div>`,
  );
  for (const [scenario, list] of byScenario(doc)) {
    const about = scenarioDescription(doc, scenario);
    body.push(
      `<h2>${escapeHtml(scenario)}</h2><div class="card">${about ? `<p class="about">${escapeHtml(about)}</p>` : ''}${chart(doc, scenario, list, colors)}</div>`,
    );
  }
  body.push('<h2>All benchmarks</h2><div class="card"><table><thead><tr>');
  body.push(table.header.map((h, i) => cell(h, i, 'th')).join(''));
  body.push('</tr></thead><tbody>');
  for (const r of table.rows) body.push(`<tr>${r.map((c, i) => cell(c, i, 'td')).join('')}</tr>`);
  body.push(`</tbody></table><p class="note">${escapeHtml(CI_NOTE)}</p></div>`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>poolscope results ${escapeHtml(doc.startedAt)}</title>
<style>${CSS}</style>
</head>
<body><main>
${body.join('\n')}
</main></body>
</html>
`;
}
