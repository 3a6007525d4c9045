/** The Markdown report: machine and event states on top, the findings, one table per scenario. */

import type { ResultsDocument } from '../results/schema.js';
import { storedFindings } from './analyze.js';
import { byScenario, machineLine, samplingLine, scenarioDescription } from './figures.js';
import { findingMark, findingText, groupFindings } from './finding-text.js';
import { PEERS_NOTE, peersReport, peersTable } from './peers.js';
import { benchmarkTable, CI_NOTE, type Table } from './table.js';

/** Escapes the characters that would break a table cell or start Markdown syntax. */
export function mdCell(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/([*_`<>[\]])/g, '\\$1')
    .replace(/\n/g, ' ');
}

export function markdownTable(table: Table): string[] {
  return [
    `| ${table.header.map(mdCell).join(' | ')} |`,
    `|${table.align.map((a) => (a === 'r' ? '---:' : ':---')).join('|')}|`,
    ...table.rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`),
  ];
}

export function renderMarkdown(doc: ResultsDocument): string {
  const out: string[] = [];
  out.push(`# poolscope results`, '');
  out.push(
    `poolscope ${mdCell(doc.tool.version)}, started ${mdCell(doc.startedAt)}${doc.interrupted ? ' — **interrupted**: the tables hold what finished' : ''}.`,
    '',
  );
  out.push(`**Machine:** ${mdCell(machineLine(doc))}`, '');
  const sampling = samplingLine(doc);
  if (sampling !== undefined) out.push(`**Sampling:** ${mdCell(sampling)}`, '');
  out.push('| event | state | reason |', '|:---|:---|:---|');
  if (doc.events.length === 0) out.push('| — | no counters were requested in this run | |');
  for (const e of doc.events) out.push(`| ${mdCell(e.name)} | ${e.state} | ${mdCell(e.reason ?? '')} |`);
  out.push('');
  const findings = storedFindings(doc);
  out.push('## Findings', '');
  if (findings.length === 0) out.push('No finding: the document lacks the benchmarks a finding compares.');
  for (const g of groupFindings(findings)) {
    out.push(`### ${mdCell(g.scenario)}`, '');
    for (const f of g.headline) out.push(`- ${f.kind === 'measurement' ? '**!** ' : ''}${mdCell(findingText(f))}`);
    for (const f of g.rest) out.push(`- ${findingMark(f)} ${mdCell(findingText(f))}`);
    out.push('');
  }
  // Peers section (lib/report/peers.ts, owned by the peers work): only when the document holds peers.
  const peers = peersReport(doc);
  if (peers.rows.length > 0 || peers.missing.length > 0) {
    out.push('## Peers', '', ...markdownTable(peersTable(peers)), '', `_${mdCell(PEERS_NOTE)}_`, '');
    for (const f of peers.findings) out.push(`- ${f.significant ? '' : '~ '}${mdCell(f.text)}`);
    out.push('');
  }
  for (const [scenario, list] of byScenario(doc)) {
    out.push(`## ${mdCell(scenario)}`, '');
    const about = scenarioDescription(doc, scenario);
    if (about) out.push(mdCell(about), '');
    out.push(...markdownTable(benchmarkTable(doc, list)), '');
  }
  out.push(`_${CI_NOTE}_`, '');
  return out.join('\n');
}
