/**
 * The terminal report: machine and counter states on top, one aligned table
 * per scenario, then the findings. Readable without colour; colour (ANSI)
 * only when the caller says the output is a TTY.
 */

import type { ResultsDocument } from '../results/schema.js';
import { storedFindings } from './analyze.js';
import { byScenario, machineLine, scenarioDescription } from './figures.js';
import { findingMark, findingText, groupFindings } from './finding-text.js';
import { PEERS_NOTE, peersReport, peersTable } from './peers.js';
import { benchmarkTable, CI_NOTE, type Table } from './table.js';

export interface TextOptions {
  /** ANSI colour; pass `process.stdout.isTTY` (and respect NO_COLOR). @default false */
  color?: boolean;
}

const ANSI = { bold: '\u001b[1m', dim: '\u001b[2m', green: '\u001b[32m', yellow: '\u001b[33m', reset: '\u001b[0m' };

/** Columns padded to their widest cell (text left, numbers right), two spaces apart. */
export function alignTable(table: Table): string[] {
  const all = [table.header, ...table.rows];
  const widths = table.header.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? '')].length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - [...cell].length);
        return table.align[i] === 'l' ? cell + pad : pad + cell;
      })
      .join('  ')
      .trimEnd();
  return [line(table.header), ...table.rows.map(line)];
}

export function renderText(doc: ResultsDocument, options: TextOptions = {}): string {
  const c = (code: keyof typeof ANSI, s: string) => (options.color ? `${ANSI[code]}${s}${ANSI.reset}` : s);
  const out: string[] = [];
  out.push(
    c(
      'bold',
      `poolscope ${doc.tool.version} results, started ${doc.startedAt}${doc.interrupted ? ' (interrupted)' : ''}`,
    ),
  );
  out.push(`machine: ${machineLine(doc)}`);
  out.push(doc.events.length === 0 ? 'events: no counters were requested in this run' : 'events:');
  for (const e of doc.events) {
    const state = e.state === 'counted' ? c('green', e.state) : c('yellow', e.state);
    out.push(`  ${e.name}: ${state}${e.reason ? ` — ${e.reason}` : ''}`);
  }
  for (const [scenario, list] of byScenario(doc)) {
    out.push('', c('bold', `${scenario}`));
    const about = scenarioDescription(doc, scenario);
    if (about) out.push(c('dim', about));
    const [head, ...rows] = alignTable(benchmarkTable(doc, list));
    out.push(c('bold', head ?? ''), ...rows);
  }
  if (doc.benchmarks.length === 0) out.push('', 'no benchmarks in this document');
  // Peers section (lib/report/peers.ts, owned by the peers work): only when the document holds peers.
  const peers = peersReport(doc);
  if (peers.rows.length > 0 || peers.missing.length > 0) {
    const [peersHead, ...peersRows] = alignTable(peersTable(peers));
    out.push('', c('bold', 'peers'), c('bold', peersHead ?? ''), ...peersRows, c('dim', PEERS_NOTE));
    for (const f of peers.findings) out.push(`  ${f.significant ? c('green', '•') : c('dim', '~')} ${f.text}`);
  }
  out.push('', c('dim', CI_NOTE));
  const findings = storedFindings(doc);
  if (findings.length > 0) {
    out.push('', c('bold', 'findings'));
    for (const g of groupFindings(findings)) {
      out.push(`  ${g.scenario}:`);
      for (const f of g.headline)
        out.push(`    ${c(f.kind === 'measurement' ? 'yellow' : 'green', findingMark(f))} ${findingText(f)}`);
      for (const f of g.rest) out.push(`    ${c('dim', findingMark(f))} ${findingText(f)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
