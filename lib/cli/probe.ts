/**
 * `poolscope probe [--json [FILE]]`: the machine facts and every known counter
 * event with its state on this machine, and the reason when it is not
 * counted; then the peers (allocators that load, Go).
 */
import type { Command } from 'commander';
import { type ProbeResult, probe } from '../counters/probe.js';
import { formatPeersStatus, probePeers } from '../peers/run.js';
import { jsonTarget, writeJson } from './output-path.js';
import { writeStdout } from './stdout.js';

function formatTable(result: ProbeResult): string {
  const m = result.machine;
  const lines = [
    `cpu        ${m.cpuModel} (${m.logicalCores} logical cores, ${m.arch})`,
    `kernel     ${m.os} ${m.kernel}, node ${m.node}, addon built with ${m.compiler}`,
    `perf       perf_event_paranoid=${m.perfEventParanoid ?? 'unreadable'}, ${m.root ? 'root' : 'not root'}, CAP_PERFMON ${m.capPerfmon ? 'yes' : 'no'}, CAP_SYS_ADMIN ${m.capSysAdmin ? 'yes' : 'no'}, hardware PMU ${m.pmu ? 'present' : 'absent'}`,
    `privilege  ${m.exclusion}`,
    `tsc        ${(m.tscHz / 1e9).toFixed(3)} GHz`,
    '',
  ];
  const rows = result.events.map((e) => [
    e.name,
    e.kind,
    e.state,
    e.reason ?? e.note ?? (e.userOnly ? 'user space only' : ''),
  ]);
  const header = ['event', 'pmu', 'state', 'reason'];
  const widths = [0, 1, 2].map((c) => Math.max((header[c] ?? '').length, ...rows.map((r) => (r[c] ?? '').length)));
  const fmt = (r: string[]) =>
    r
      .map((cell, c) => (c < 3 ? cell.padEnd(widths[c] ?? 0) : cell))
      .join('  ')
      .trimEnd();
  lines.push(fmt(header), ...rows.map(fmt));
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command('probe')
    .description('show which perf counters this machine can count, and why not where it cannot')
    .option('--json [file]', 'write JSON instead of the table, to FILE or standard output')
    .action(async (opts: { json?: string | boolean }) => {
      const json = jsonTarget(opts.json);
      const result = probe();
      // Peers (lib/peers, peers work): which allocator peers load and whether Go is installed.
      const peers = await probePeers();
      if (json === undefined) writeStdout(`${formatTable(result)}\npeers\n${formatPeersStatus(peers)}`);
      else {
        // An event that did not count has no value: null next to its state (perf prints <not supported>), not 0.
        const events = result.events.map((e) => (e.state === 'counted' ? e : { ...e, value: null }));
        await writeJson(json, `${JSON.stringify({ ...result, events, peers }, null, 2)}\n`);
      }
    });
}
