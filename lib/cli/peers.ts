/**
 * `poolscope peers`: runs every peer this machine has (allocator peers and
 * glibc, Go's sync.Pool, Node's allocation) and prints the peers table;
 * `--probe` only says which peers can run and why not; `--merge FILE` adds
 * the peers to an existing results document (e.g. a `bench` run) so the
 * table holds them against poolscope's own pools.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { peersDocument } from '../peers/document.js';
import { formatPeersStatus, probePeers, runPeers } from '../peers/run.js';
import { renderJson } from '../report/json.js';
import { markdownTable } from '../report/markdown.js';
import { PEERS_NOTE, peersPivot, peersReport, peersTable } from '../report/peers.js';
import { alignTable } from '../report/text.js';
import { readResultsFile } from '../results/parse.js';
import type { ResultsDocument } from '../results/schema.js';
import { expectInteger } from '../validate.js';

interface PeersCliOptions {
  repeats: string;
  sampleMs: string;
  go: boolean;
  node: boolean;
  allocators: boolean;
  probe?: boolean;
  merge?: string;
  out?: string;
  from?: string;
  pivot?: boolean;
}

function intOption(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  return expectInteger(flag, Number.isNaN(n) ? value : n, min, max);
}

function printPeers(doc: ResultsDocument, pivot: boolean): void {
  const report = peersReport(doc);
  if (pivot) {
    process.stdout.write(`${markdownTable(peersPivot(report)).join('\n')}\n`);
    return;
  }
  const [head, ...rows] = alignTable(peersTable(report));
  process.stdout.write(`${[head ?? '', ...rows].join('\n')}\n\n${PEERS_NOTE}\n\n`);
  for (const f of report.findings) process.stdout.write(`${f.significant ? '•' : '~'} ${f.text}\n`);
}

export function register(program: Command): void {
  program
    .command('peers')
    .description(
      "hold poolscope against its peers: mimalloc/jemalloc/tcmalloc, glibc, Go's sync.Pool, Node's allocation",
    )
    .option('--probe', 'only list which peers can run here, and why not')
    .option('-r, --repeats <n>', 'samples per benchmark', '5')
    .option('--sample-ms <ms>', 'target time of one sample (Go: -benchtime 10× this)', '20')
    .option('--no-go', "skip Go's sync.Pool")
    .option('--no-node', "skip Node's allocation")
    .option('--no-allocators', 'skip the allocator peers and glibc')
    .option('--merge <file>', 'add the peers to this results document (read it, write it back with --out or in place)')
    .option('-o, --out <file>', 'write the results document (JSON) here')
    .option('--from <file>', 'do not run: print the peers of this results document')
    .option('--pivot', 'print one Markdown table, a row per pattern and size, a column per pool')
    .action(async (opts: PeersCliOptions) => {
      if (opts.probe) {
        process.stdout.write(formatPeersStatus(await probePeers()));
        return;
      }
      if (opts.from !== undefined) {
        printPeers(await readResultsFile(opts.from), opts.pivot === true);
        return;
      }
      const repeats = intOption('--repeats', opts.repeats, 1, 1000);
      const sampleMs = intOption('--sample-ms', opts.sampleMs, 1, 60_000);
      const base = opts.merge !== undefined ? await readResultsFile(opts.merge) : undefined;
      const startedAt = new Date();
      const run = await runPeers({
        repeats,
        sampleMs,
        go: opts.go,
        node: opts.node,
        allocators: opts.allocators,
        // A bench document holds poolscope's own results already.
        reference: base === undefined,
        onPart: (part, repeat) =>
          process.stderr.write(
            part === 'go' ? 'peers: go test -bench…\n' : `peers: round ${repeat + 1}/${repeats}: ${part}…\n`,
          ),
      });
      const doc = base
        ? {
            ...base,
            config: { ...base.config, peers: run.status },
            benchmarks: [...base.benchmarks, ...run.benchmarks],
          }
        : peersDocument(run, startedAt, { repeats, sampleMs });
      printPeers(doc, opts.pivot === true);
      const out = opts.out ?? opts.merge;
      if (out !== undefined) {
        await writeFile(out, renderJson(doc));
        process.stderr.write(`peers: wrote ${out}\n`);
      }
    });
}
