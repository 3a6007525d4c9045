/**
 * `poolscope run`: one stress benchmark through the harness, e.g.
 * `poolscope run --scenario get-put --pool sync --layout packed --threads 2 --json out.json`.
 * Prints the terminal report; `--json FILE` also writes the results document,
 * `--json` alone prints it on standard output (the report then goes to stderr).
 * The flags are parsed here and checked by the harness's resolver
 * (lib/harness/options.ts), which names them in its messages.
 * Ctrl-C stops the workers and keeps the samples that finished (the
 * document says `interrupted`), exit code 130.
 */
import { writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { limitedInteger, resolveBounds, resolveSpec } from '../harness/options.js';
import { createProgress, progressMode } from '../harness/progress.js';
import { DEFAULT_EVENTS, runStress, type StressOptions } from '../harness/run-suite.js';
import { SCENARIOS } from '../harness/scenarios.js';
import { DEFAULTS, rangeText } from '../limits.js';
import { ALLOCATOR_KINDS, POOL_KINDS, POOL_LAYOUTS, POOL_PUBLISH } from '../pool.js';
import { withAnalysis } from '../report/analyze.js';
import { renderJson } from '../report/json.js';
import { renderText } from '../report/text.js';
import type { ResultsDocument } from '../results/schema.js';
import { decimalInteger, eventList, flagNames, seedFlag } from './args.js';
import { jsonTarget } from './output-path.js';
import { writeStdout } from './stdout.js';

/**
 * Runs `work` with Ctrl-C wired to an AbortController: the first SIGINT
 * aborts (the harness stops the workers and returns what finished), a second
 * one exits at once.
 */
export async function withInterrupt<T>(
  work: (signal: AbortSignal) => Promise<T>,
  onFirst: () => void = () => {},
): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    onFirst();
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** The document with its findings and spreads (computed once: lib/report/analyze.ts), as `--json` writes it. */
export function documentWithFindings(doc: ResultsDocument): ResultsDocument {
  return withAnalysis(doc);
}

interface RunFlags {
  scenario: string;
  pool?: string;
  layout: string;
  publish: string;
  threads?: number;
  objectSize: number;
  batch?: number;
  clearEvery?: number;
  victim: boolean;
  ops?: number;
  duration?: number;
  repeat: number;
  warmup: number;
  sampleMs: number;
  events?: string[];
  timeLimit: number;
  pin: boolean;
  seed?: number;
  randomize: boolean;
  json?: string | boolean;
  quiet?: boolean;
}

/** The stress options of these flags, checked by the harness's resolver under the flags' names. */
export function stressOptionsOf(flags: RunFlags): StressOptions {
  const o: Record<string, unknown> = {
    scenario: flags.scenario,
    pool: flags.pool,
    layout: flags.layout,
    publish: flags.publish,
    threads: flags.threads,
    objectSize: flags.objectSize,
    batch: flags.batch,
    clearEvery: flags.clearEvery,
    victim: flags.victim,
    ops: flags.ops,
    durationMs: flags.duration,
    repeat: flags.repeat,
    warmup: flags.warmup,
    sampleMs: flags.sampleMs,
    timeLimitMs: flags.timeLimit,
  };
  for (const key of Object.keys(o)) if (o[key] === undefined) delete o[key];
  resolveSpec(flagNames, o);
  resolveBounds(flagNames, o);
  limitedInteger(flagNames, 'timeLimitMs', o.timeLimitMs);
  return o as unknown as StressOptions;
}

export function register(program: Command): void {
  program
    .command('run')
    .description('run one stress benchmark through the harness (worker threads, native loops, counters)')
    .addOption(new Option('--scenario <name>', 'what to run').choices(SCENARIOS).makeOptionMandatory())
    .addOption(
      new Option(
        '--pool <kind>',
        `pool (alloc: the allocator); default ${DEFAULTS.pool}, ${DEFAULTS.allocPool} for alloc`,
      ).choices([...new Set<string>([...POOL_KINDS, ...ALLOCATOR_KINDS])]),
    )
    .addOption(
      new Option('--layout <layout>', 'per-thread record layout (sync pool)')
        .choices(POOL_LAYOUTS)
        .default(DEFAULTS.layout),
    )
    .addOption(
      new Option('--publish <how>', 'head publication instruction (sync pool)')
        .choices(POOL_PUBLISH)
        .default(DEFAULTS.publish),
    )
    .option(
      '--threads <n>',
      `worker threads, ${rangeText('threads')} (default ${DEFAULTS.threads}, ${DEFAULTS.pairThreads} for producer-consumer)`,
      decimalInteger,
    )
    .option(
      '--object-size <bytes>',
      `object size in bytes, ${rangeText('objectSize')}`,
      decimalInteger,
      DEFAULTS.objectSize,
    )
    .option(
      '--batch <k>',
      `objects held at once (batch, gc-churn, alloc), ${rangeText('batch')} (default ${DEFAULTS.batch}, ${DEFAULTS.batchScenarioBatch} for batch)`,
      decimalInteger,
    )
    .option(
      '--clear-every <m>',
      `gc-churn: operations between clear() calls, ${rangeText('clearEvery')} (default ${DEFAULTS.clearEvery})`,
      decimalInteger,
    )
    .option('--no-victim', 'gc-churn: a pool without the victim cache')
    .addOption(
      new Option(
        '--ops <n>',
        `operations per worker per sample, ${rangeText('ops')} (default: calibrated to --sample-ms)`,
      )
        .argParser(decimalInteger)
        .conflicts('duration'),
    )
    .option(
      '--duration <ms>',
      `wall time per sample instead of a fixed op count, ${rangeText('durationMs')}`,
      decimalInteger,
    )
    .option('-r, --repeat <r>', `timed samples, ${rangeText('repeat')}`, decimalInteger, DEFAULTS.repeat)
    .option('--warmup <w>', `untimed warm-up samples, ${rangeText('warmup')}`, decimalInteger, DEFAULTS.warmup)
    .option(
      '--sample-ms <ms>',
      `target length of a calibrated sample, ${rangeText('sampleMs')}`,
      decimalInteger,
      DEFAULTS.sampleMs,
    )
    .option('-e, --events <names>', `counters, comma-separated (default ${DEFAULT_EVENTS.join(',')})`, eventList)
    .option(
      '--time-limit <ms>',
      `stop the run with an error past this, ${rangeText('timeLimitMs')}`,
      decimalInteger,
      DEFAULTS.timeLimitMs,
    )
    .option('--no-pin', 'do not pin worker i to the i-th CPU')
    .option('--seed <n>', "seed of the placement draws (reproduces a run's placements)", decimalInteger)
    .option('--no-randomize', 'run every sample at one placement (no stack/data offsets, code copy 0, one pool)')
    .option(
      '--json [file]',
      'write the results document to FILE, or to standard output (the report then goes to stderr)',
    )
    .option('-q, --quiet', 'no progress output')
    .action(async (flags: RunFlags) => {
      const options = stressOptionsOf(flags);
      const json = jsonTarget(flags.json);
      const progress = createProgress(progressMode(flags.quiet === true));
      const doc = await withInterrupt(
        (signal) =>
          runStress({
            ...options,
            pinThreads: flags.pin,
            randomize: flags.randomize,
            ...(flags.seed !== undefined ? { seed: seedFlag(flags.seed) } : {}),
            signal,
            onBenchmark: (e) => progress.onBenchmark(e),
            onResult: (r, i, n) => progress.onResult(r, i, n),
            ...(flags.events !== undefined ? { events: flags.events } : {}),
          }),
        () => progress.log('poolscope: interrupted, stopping the workers and keeping what finished'),
      );
      progress.stop();
      const full = documentWithFindings(doc);
      const text = renderText(full, { color: json !== '-' && process.stdout.isTTY === true && !process.env.NO_COLOR });
      if (json === '-') {
        process.stderr.write(text);
        writeStdout(renderJson(full));
      } else {
        if (json !== undefined) await writeFile(json, renderJson(full));
        writeStdout(text);
        if (json !== undefined) writeStdout(`results: ${json}\n`);
      }
      if (doc.interrupted) process.exitCode = 130;
    });
}
