/**
 * `poolscope probe [--json]`: the machine facts and every known counter
 * event with its state on this machine, and the reason when it is not
 * counted; then the peers (allocators that load, Go).
 */
import type { Command } from 'commander';
import { type ProbeResult, probe } from '../counters/probe.js';
import { formatPeersStatus, probePeers } from '../peers/run.js';

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
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: { json?: boolean }) => {
      const result = probe();
      // Peers (lib/peers, peers work): which allocator peers load and whether Go is installed.
      const peers = await probePeers();
      process.stdout.write(
        opts.json
          ? `${JSON.stringify({ ...result, peers }, null, 2)}\n`
          : `${formatTable(result)}\npeers\n${formatPeersStatus(peers)}`,
      );
    });
}
