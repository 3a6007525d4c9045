/**
 * `poolscope run`: one stress benchmark through the harness, e.g.
 * `poolscope run --scenario get-put --pool sync --layout packed --threads 2 --json out.json`.
 * Prints the terminal report; `--json FILE` also writes the results document.
 * Ctrl-C stops the workers and keeps the samples that finished (the
 * document says `interrupted`), exit code 130.
 */
import { writeFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { MAX_THREADS } from '../harness/options.js';
import { createProgress, progressMode } from '../harness/progress.js';
import { DEFAULT_EVENTS, runStress } from '../harness/run-suite.js';
import { SCENARIO_INFO, SCENARIOS } from '../harness/scenarios.js';
import { ALLOCATOR_KINDS, POOL_KINDS, POOL_LAYOUTS, POOL_PUBLISH } from '../pool.js';
import { computeFindings } from '../report/findings.js';
import { renderJson } from '../report/json.js';
import { renderText } from '../report/text.js';
import type { ResultsDocument } from '../results/schema.js';

/** An argParser for an integer flag: commander reports the flag and this message, and exits 2. */
export function integerArg(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`must be an integer from ${min} to ${max}.`);
    }
    return n;
  };
}

/** `--events a,b --events c` → ['a', 'b', 'c']. */
export function eventList(value: string, previous: string[] | undefined): string[] {
  const list = value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  if (list.length === 0) throw new InvalidArgumentError('must name at least one event, e.g. task-clock.');
  return [...(previous ?? []), ...list];
}

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

/** The document with its findings, as `--json` writes it. */
export function documentWithFindings(doc: ResultsDocument): ResultsDocument {
  return { ...doc, findings: computeFindings(doc) };
}

interface RunFlags {
  scenario: (typeof SCENARIOS)[number];
  pool?: string;
  layout: (typeof POOL_LAYOUTS)[number];
  publish: (typeof POOL_PUBLISH)[number];
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
  json?: string;
  quiet?: boolean;
}

export function register(program: Command): void {
  program
    .command('run')
    .description('run one stress benchmark through the harness (worker threads, native loops, counters)')
    .addOption(new Option('--scenario <name>', 'what to run').choices(SCENARIOS).makeOptionMandatory())
    .addOption(
      new Option('--pool <kind>', 'pool (alloc: the allocator); default sync, malloc for alloc').choices([
        ...new Set<string>([...POOL_KINDS, ...ALLOCATOR_KINDS]),
      ]),
    )
    .addOption(
      new Option('--layout <layout>', 'per-thread record layout (sync pool)').choices(POOL_LAYOUTS).default('pad128'),
    )
    .addOption(
      new Option('--publish <how>', 'head publication instruction (sync pool)').choices(POOL_PUBLISH).default('xadd'),
    )
    .option(
      '--threads <n>',
      `worker threads, 1 to ${MAX_THREADS} (default 1, 2 for producer-consumer)`,
      integerArg(1, MAX_THREADS),
    )
    .option('--object-size <bytes>', 'object size in bytes', integerArg(8, 1 << 20), 64)
    .option('--batch <k>', 'objects held at once (batch, gc-churn, alloc)', integerArg(1, 4096))
    .option('--clear-every <m>', 'gc-churn: operations between clear() calls', integerArg(1, 2 ** 40))
    .option('--no-victim', 'gc-churn: a pool without the victim cache')
    .addOption(
      new Option('--ops <n>', 'operations per worker per sample (default: calibrated to --sample-ms)')
        .argParser(integerArg(1, 2 ** 50))
        .conflicts('duration'),
    )
    .option('--duration <ms>', 'wall time per sample instead of a fixed op count', integerArg(1, 3_600_000))
    .option('--repeat <r>', 'timed samples', integerArg(1, 10_000), 5)
    .option('--warmup <w>', 'untimed warm-up samples', integerArg(0, 100), 1)
    .option('--sample-ms <ms>', 'target length of a calibrated sample', integerArg(1, 60_000), 10)
    .option('--events <names>', `counters, comma-separated (default ${DEFAULT_EVENTS.join(',')})`, eventList)
    .option('--time-limit <ms>', 'stop the run with an error past this', integerArg(1, 2 ** 31 - 1), 600_000)
    .option('--no-pin', 'do not pin worker i to the i-th CPU')
    .option('--seed <n>', "seed of the placement draws (reproduces a run's placements)", integerArg(0, 2 ** 32 - 1))
    .option('--no-randomize', 'run every sample at one placement (no stack/data offsets, code copy 0, one pool)')
    .option('--json <file>', 'also write the results document here')
    .option('-q, --quiet', 'no progress output')
    .action(async (flags: RunFlags) => {
      const info = SCENARIO_INFO[flags.scenario];
      if (flags.pool !== undefined && !info.usesPool && !(ALLOCATOR_KINDS as readonly string[]).includes(flags.pool)) {
        throw new RangeError(
          `--pool must be one of ${ALLOCATOR_KINDS.map((a) => `'${a}'`).join(', ')} for alloc (received '${flags.pool}')`,
        );
      }
      if (flags.pool !== undefined && info.usesPool && !(POOL_KINDS as readonly string[]).includes(flags.pool)) {
        throw new RangeError(
          `--pool must be one of ${POOL_KINDS.map((a) => `'${a}'`).join(', ')} for ${flags.scenario} (received '${flags.pool}')`,
        );
      }
      if (flags.scenario === 'false-sharing' && flags.pool !== undefined && flags.pool !== 'sync') {
        throw new RangeError(`--pool must be 'sync' for false-sharing (received '${flags.pool}')`);
      }
      if (info.threads === 'even' && flags.threads !== undefined && flags.threads % 2 !== 0) {
        throw new RangeError(
          `--threads must be an even number for ${flags.scenario} (producer/consumer pairs) (received ${flags.threads})`,
        );
      }
      const progress = createProgress(progressMode(flags.quiet === true));
      const doc = await withInterrupt(
        (signal) =>
          runStress({
            scenario: flags.scenario,
            layout: flags.layout,
            publish: flags.publish,
            objectSize: flags.objectSize,
            victim: flags.victim,
            repeat: flags.repeat,
            warmup: flags.warmup,
            sampleMs: flags.sampleMs,
            timeLimitMs: flags.timeLimit,
            pinThreads: flags.pin,
            randomize: flags.randomize,
            ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
            signal,
            onBenchmark: (e) => progress.onBenchmark(e),
            onResult: (r, i, n) => progress.onResult(r, i, n),
            ...(flags.pool !== undefined ? { pool: flags.pool } : {}),
            ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
            ...(flags.batch !== undefined ? { batch: flags.batch } : {}),
            ...(flags.clearEvery !== undefined ? { clearEvery: flags.clearEvery } : {}),
            ...(flags.ops !== undefined ? { ops: flags.ops } : {}),
            ...(flags.duration !== undefined ? { durationMs: flags.duration } : {}),
            ...(flags.events !== undefined ? { events: flags.events } : {}),
          }),
        () => progress.log('poolscope: interrupted, stopping the workers and keeping what finished'),
      );
      progress.stop();
      const full = documentWithFindings(doc);
      if (flags.json !== undefined) await writeFile(flags.json, renderJson(full));
      process.stdout.write(renderText(full, { color: process.stdout.isTTY === true && !process.env.NO_COLOR }));
      if (flags.json !== undefined) process.stdout.write(`results: ${flags.json}\n`);
      if (doc.interrupted) process.exitCode = 130;
    });
}
