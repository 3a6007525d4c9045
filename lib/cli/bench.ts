/**
 * `poolscope bench [--quick|--full] [--out DIR]`: the suite that answers
 * "when does a pool help, and why". Measures the harness's fidelity first,
 * runs every benchmark of the suite on one team of workers, writes
 * results.json, report.md, report.html and bench.txt into the out folder
 * (default bench-out/<timestamp>), and prints where they are with the
 * findings. Ctrl-C keeps what finished (marked interrupted), exit code 130.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { formatFidelity } from '../harness/fidelity.js';
import { limitedInteger, resolveBounds } from '../harness/options.js';
import { resolvePlacement } from '../harness/placement.js';
import { createProgress, progressMode } from '../harness/progress.js';
import { DEFAULT_EVENTS } from '../harness/run-suite.js';
import { SUITE_NAMES, type SuiteName, suite } from '../harness/suites.js';
import { DEFAULTS, rangeText } from '../limits.js';
import { peerSuiteSpecs } from '../peers/suite-specs.js';
import { withAnalysis } from '../report/analyze.js';
import { displayName } from '../report/figures.js';
import { findingText } from '../report/finding-text.js';
import { renderJson } from '../report/json.js';
import { isPlacementRandomized } from '../report/placement.js';
import { writeReports } from '../report/write.js';
import type { BenchmarkResult, Finding, ResultsDocument } from '../results/schema.js';
import { decimalInteger, eventList, flagNames, integerList } from './args.js';
import { type MeasureOptions, measureBench } from './bench-measure.js';
import { measureInProcesses } from './bench-processes.js';
import { filterRegExp, selectSpecs } from './bench-select.js';
import { checkOutputDir, jsonTarget } from './output-path.js';
import { withInterrupt } from './run.js';
import { writeStdout } from './stdout.js';
import { UsageError } from './usage.js';

interface BenchFlags {
  quick?: boolean;
  full?: boolean;
  suite?: SuiteName;
  out?: string;
  repeat?: number;
  sampleMs?: number;
  ops?: number;
  events?: string[];
  fidelity: boolean;
  timeLimit: number;
  pin: boolean;
  seed?: number;
  randomize: boolean;
  quiet?: boolean;
  peers: boolean;
  filter?: string;
  threads?: number[];
  json?: string | boolean;
  processes?: number;
}

/** The findings as `bench` prints them: the effects, then one line per kind of the rest. */
function findingsSummary(findings: readonly Finding[], benchmarks: number): string[] {
  const compared = findings.filter((f) => f.kind !== 'measurement' && f.kind !== 'figure');
  const effects = findings.filter((f) => f.kind === 'effect' && !f.withinSpread);
  const count = (kind: Finding['kind']) => findings.filter((f) => f.kind === kind).length;
  const within = findings.filter((f) => f.kind === 'effect' && f.withinSpread).length;
  const out = [`findings (${effects.length} significant effects of ${compared.length} compared):`];
  for (const f of effects) out.push(`  • [${f.scenario}] ${findingText(f)}`);
  const rest: string[] = [];
  if (count('not-significant') > 0) rest.push(`${count('not-significant')} not significant`);
  if (within > 0) rest.push(`${within} within the spread across samples`);
  if (count('placement') > 0) rest.push(`${count('placement')} layout differences at 1 thread (placement)`);
  if (count('not-exercised') > 0) rest.push(`${count('not-exercised')} not compared (the mechanism did not run)`);
  if (rest.length > 0) out.push(`  (${rest.join('; ')}: see report.md)`);
  for (const f of findings) {
    if (f.kind !== 'measurement') continue;
    out.push(
      f.issue === 'busy'
        ? `  ! ${f.benchmarks.length} of ${benchmarks} benchmarks ran while their workers were on a CPU less than ${Math.round(100 * f.threshold)}% of the ` +
            'wall time (a busy machine): their ns/op is inflated; report.md lists them'
        : `  ! ${findingText(f)}`,
    );
  }
  return out;
}

/** One line on the spread across samples: the median over benchmarks and the widest (placement's when randomized). */
function spreadSummary(doc: ResultsDocument): string | undefined {
  const spreads = doc.benchmarks.flatMap((b) => (b.spread ? [{ b, pct: b.spread.pct }] : []));
  if (spreads.length === 0) return undefined;
  spreads.sort((x, y) => x.pct - y.pct);
  const mid = spreads[spreads.length >> 1] as { pct: number };
  const widest = spreads[spreads.length - 1] as { b: ResultsDocument['benchmarks'][number]; pct: number };
  const randomized = isPlacementRandomized(doc);
  return (
    `${randomized ? 'placement spread' : 'spread across samples (one placement per benchmark: not randomized)'}: ` +
    `median ±${mid.pct.toFixed(1)}%, widest ±${widest.pct.toFixed(1)}% (${displayName(widest.b)}); report.md has it per benchmark`
  );
}

/** `2026-11-28T19-04-05Z`: sortable, no characters a file system dislikes. */
function timestamp(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
}

export function register(program: Command): void {
  program
    .command('bench')
    .description('run the benchmark suite and write results.json, report.md, report.html and bench.txt')
    .addOption(
      new Option('--quick', 'the quick suite (default; about a minute on 2 cores, peers included)').conflicts('full'),
    )
    .addOption(new Option('--full', 'the full suite: more sizes, batches, clear intervals, 4 threads'))
    .addOption(
      new Option('--suite <name>', 'suite by name').choices(SUITE_NAMES).conflicts(['quick', 'full']).hideHelp(),
    )
    .option('--out <dir>', 'where to write the reports (default bench-out/<timestamp>)')
    .option(
      '--filter <regex>',
      'run only the benchmarks whose Go-style name (BenchmarkGetPut/pool=sync/…, as in bench.txt, without -N) matches',
    )
    .option(
      '--threads <list>',
      `run every benchmark at these thread counts, e.g. 1,2,4 (each ${rangeText('threads')}; producer-consumer at the even ones)`,
      integerList,
    )
    .option(
      '-r, --repeat <r>',
      `timed samples per benchmark, ${rangeText('repeat')} (default: the suite's)`,
      decimalInteger,
    )
    .option('--sample-ms <ms>', `target sample length, ${rangeText('sampleMs')} (default: the suite's)`, decimalInteger)
    .addOption(
      new Option('--ops <n>', 'fixed operations per worker per sample (tests)').argParser(decimalInteger).hideHelp(),
    )
    .option('-e, --events <names>', `counters, comma-separated (default ${DEFAULT_EVENTS.join(',')})`, eventList)
    .option('--no-fidelity', 'skip the harness-fidelity check')
    .option(
      '--time-limit <ms>',
      `stop the run with an error past this, ${rangeText('timeLimitMs')}`,
      decimalInteger,
      DEFAULTS.benchTimeLimitMs,
    )
    .option(
      '--json [file]',
      'also write the results document to FILE, or to standard output (the summary then goes to stderr)',
    )
    .option('-q, --quiet', 'no progress output')
    .option('--no-pin', 'do not pin worker i to the i-th CPU')
    .option(
      '--seed <n>',
      `seed of the placement draws, ${rangeText('seed')} (reproduces a run's placements)`,
      decimalInteger,
    )
    .option('--no-randomize', 'run every sample at one placement (no stack/data offsets, code copy 0, one pool)')
    .option('--no-peers', "skip the peers (allocator peers, Go's sync.Pool, Node's allocation)")
    .option(
      '--processes <n>',
      `split the samples across n processes run one after another, ${rangeText('processes')} (default: quick 3, full 5; compare treats each process as a run)`,
      decimalInteger,
    )
    .action(async (flags: BenchFlags) => {
      const name: SuiteName = flags.suite ?? (flags.full ? 'full' : 'quick');
      const s = suite(name);
      const startedAt = new Date();
      const outDir = flags.out ?? join('bench-out', timestamp(startedAt));
      checkOutputDir('--out', outDir);
      const json = jsonTarget(flags.json);
      const filter = flags.filter === undefined ? undefined : filterRegExp(flags.filter);
      const progress = createProgress(progressMode(flags.quiet === true));
      const bounds = {
        ...s.bounds,
        ...(flags.repeat !== undefined ? { repeat: flags.repeat } : {}),
        ...(flags.sampleMs !== undefined ? { sampleMs: flags.sampleMs } : {}),
        ...(flags.ops !== undefined ? { ops: flags.ops } : {}),
      };
      if (bounds.ops !== undefined && flags.sampleMs !== undefined) {
        throw new UsageError('--ops and --sample-ms are exclusive: give one (received both)');
      }
      resolveBounds(flagNames, bounds);
      limitedInteger(flagNames, 'timeLimitMs', flags.timeLimit);
      // Peers (lib/peers, peers work): not for the test suite or a fixed --ops run.
      const withPeers = flags.peers && name !== 'tiny' && flags.ops === undefined;
      // The allocator peers run through the harness like the rest of the suite (alloc scenario).
      const all = withPeers ? [...s.specs, ...peerSuiteSpecs(s.specs, 16)] : s.specs;
      const specs = selectSpecs(all, {
        ...(filter !== undefined ? { filter } : {}),
        ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
      });
      if (specs.length === 0) {
        throw new UsageError(
          `--filter ${JSON.stringify(flags.filter)} matches none of the ${all.length} benchmarks of the ${name} suite (names such as BenchmarkGetPut/pool=sync/layout=pad128/publish=xadd)`,
        );
      }
      // Go's sync.Pool and Node's allocation run after the suite, whole: not in a selection.
      const selected = filter !== undefined || flags.threads !== undefined;
      const repeat = bounds.repeat ?? DEFAULTS.repeat;
      const processes = flags.processes ?? Math.min(s.processes, repeat);
      limitedInteger(flagNames, 'processes', processes);
      if (processes > repeat) {
        throw new UsageError(
          `--processes ${processes} needs at least as many samples per benchmark (--repeat is ${repeat}): each process takes one or more`,
        );
      }
      const placement = resolvePlacement(flagNames, { seed: flags.seed, randomize: flags.randomize });
      const measure: MeasureOptions = {
        specs,
        suite: name,
        bounds,
        fidelity: flags.fidelity,
        timeLimitMs: flags.timeLimit,
        pinThreads: flags.pin,
        randomize: placement.randomized,
        seed: placement.seed,
        ...(flags.events !== undefined ? { events: flags.events } : {}),
        peers: withPeers && !selected,
      };
      const measureProgress = {
        onBenchmark: (e: { name: string; index: number; total: number }) => progress.onBenchmark(e),
        onResult: (r: BenchmarkResult, i: number, n: number) => progress.onResult(r, i, n),
        log: (line: string) => progress.log(line),
      };
      const doc = await withInterrupt(
        (signal) =>
          processes > 1
            ? measureInProcesses(measure, processes, signal, measureProgress)
            : measureBench(measure, signal, measureProgress),
        () => progress.log('poolscope: interrupted, stopping the workers and keeping what finished'),
      );
      progress.stop();
      // Findings and spreads computed once; every report and the summary below read them.
      const analyzed = withAnalysis(doc);
      const paths = await writeReports(analyzed, outDir);
      const out: string[] = [];
      const seconds = ((Date.now() - startedAt.getTime()) / 1000).toFixed(1);
      out.push(
        `poolscope bench --${name}: ${doc.benchmarks.length} benchmarks in ${seconds} s${doc.interrupted ? ' (interrupted: kept what finished)' : ''}`,
      );
      const fidelity = doc.config.fidelity as Parameters<typeof formatFidelity>[0] | undefined;
      if (fidelity) out.push(formatFidelity(fidelity));
      const spread = spreadSummary(analyzed);
      if (spread) out.push(spread);
      out.push('', ...findingsSummary(analyzed.findings ?? [], doc.benchmarks.length));
      out.push(
        '',
        'reports:',
        `  ${paths.json}`,
        `  ${paths.markdown}`,
        `  ${paths.html}`,
        `  ${paths.gobench}   (benchstat input)`,
      );
      if (json !== undefined && json !== '-') {
        await writeFile(json, renderJson(analyzed));
        out.push(`  ${json}`);
      }
      if (json === '-') {
        process.stderr.write(`${out.join('\n')}\n`);
        writeStdout(renderJson(analyzed));
      } else {
        writeStdout(`${out.join('\n')}\n`);
      }
      if (doc.interrupted) process.exitCode = 130;
    });
}
