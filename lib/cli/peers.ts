/**
 * `poolscope peers`: runs every peer this machine has (allocator peers and
 * glibc, Go's sync.Pool, Node's allocation) and prints the peers table;
 * `--probe` only says which peers can run and why not; `--merge FILE` adds
 * the peers to an existing results document (e.g. a `bench` run) so the
 * table holds them against poolscope's own pools.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { limitedInteger } from '../harness/options.js';
import { DEFAULTS, rangeText } from '../limits.js';
import { peersDocument } from '../peers/document.js';
import { formatPeersStatus, probePeers, runPeers } from '../peers/run.js';
import { renderJson } from '../report/json.js';
import { markdownTable } from '../report/markdown.js';
import { PEERS_NOTE, peersPivot, peersReport, peersTable } from '../report/peers.js';
import { alignTable } from '../report/text.js';
import type { ResultsDocument } from '../results/schema.js';
import { decimalInteger, flagNames } from './args.js';
import { checkOutputFile, jsonTarget, writeJson } from './output-path.js';
import { readResultsArgument } from './results-input.js';
import { writeStdout } from './stdout.js';

interface PeersCliOptions {
  repeats: number;
  sampleMs: number;
  go: boolean;
  node: boolean;
  allocators: boolean;
  probe?: boolean;
  merge?: string;
  out?: string;
  from?: string;
  pivot?: boolean;
  json?: string | boolean;
}

/** The peers table (or pivot), on stdout, or on stderr when stdout carries the JSON. */
function printPeers(doc: ResultsDocument, pivot: boolean, toStderr: boolean): void {
  const write = (text: string) => (toStderr ? process.stderr.write(text) : writeStdout(text));
  const report = peersReport(doc);
  if (pivot) {
    write(`${markdownTable(peersPivot(report)).join('\n')}\n`);
    return;
  }
  const [head, ...rows] = alignTable(peersTable(report));
  const lines = report.findings.map((f) => `${f.significant ? '•' : '~'} ${f.text}\n`);
  write(`${[head ?? '', ...rows].join('\n')}\n\n${PEERS_NOTE}\n\n${lines.join('')}`);
}

export function register(program: Command): void {
  program
    .command('peers')
    .description(
      "hold poolscope against its peers: mimalloc/jemalloc/tcmalloc, glibc, Go's sync.Pool, Node's allocation",
    )
    .option('--probe', 'only list which peers can run here, and why not')
    .option(
      '-r, --repeats <n>',
      `samples per benchmark, ${rangeText('peerRepeats')}`,
      decimalInteger,
      DEFAULTS.peerRepeats,
    )
    .option(
      '--sample-ms <ms>',
      `target time of one sample (Go: -benchtime 10× this), ${rangeText('sampleMs')}`,
      decimalInteger,
      DEFAULTS.peerSampleMs,
    )
    .option('--no-go', "skip Go's sync.Pool")
    .option('--no-node', "skip Node's allocation")
    .option('--no-allocators', 'skip the allocator peers and glibc')
    .option('--merge <file>', 'add the peers to this results document (read it, write it back with --out or in place)')
    .option(
      '--json [file]',
      'write the results document to FILE, or to standard output (the table then goes to stderr)',
    )
    .option('-o, --out <file>', 'write the results document (JSON) here (as --json FILE)')
    .option('--from <file>', 'do not run: print the peers of this results document')
    .option('--pivot', 'print one Markdown table, a row per pattern and size, a column per pool')
    .action(async (opts: PeersCliOptions) => {
      if (opts.probe) {
        process.stdout.write(formatPeersStatus(await probePeers()));
        return;
      }
      const json = jsonTarget(opts.json);
      const print = (doc: ResultsDocument) => printPeers(doc, opts.pivot === true, json === '-');
      if (opts.from !== undefined) {
        const doc = await readResultsArgument('--from', opts.from);
        print(doc);
        if (json !== undefined) await writeJson(json, renderJson(doc));
        return;
      }
      const repeats = limitedInteger(flagNames, 'peerRepeats', opts.repeats);
      const sampleMs = limitedInteger(flagNames, 'sampleMs', opts.sampleMs);
      if (opts.out !== undefined) checkOutputFile('--out', opts.out);
      if (opts.merge !== undefined && opts.out === undefined && json === undefined)
        checkOutputFile('--merge', opts.merge);
      const base = opts.merge !== undefined ? await readResultsArgument('--merge', opts.merge) : undefined;
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
      print(doc);
      if (json !== undefined) await writeJson(json, renderJson(doc));
      const out = opts.out ?? (json === undefined ? opts.merge : undefined);
      if (out !== undefined) await writeFile(out, renderJson(doc));
      for (const file of [json, out])
        if (file !== undefined && file !== '-') process.stderr.write(`peers: wrote ${file}\n`);
    });
}
