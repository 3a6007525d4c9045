/**
 * Runs Go's sync.Pool benchmarks (bench/peers/go) with `go test -bench`
 * where a Go toolchain is installed, and parses the output into
 * BenchmarkResults. Nothing is downloaded: the module has no requirements,
 * and the run sets GOPROXY=off, GOFLAGS=-mod=mod, GOTOOLCHAIN=local and
 * GOTELEMETRY=off. The serial scenarios run at GOMAXPROCS=1, the
 * producer-consumer one at GOMAXPROCS=2 (Get and Put on different Ps).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../binding.js';
import type { BenchmarkResult } from '../results/schema.js';
import { goBenchToResults, parseGoBench } from './go-bench.js';

const run = promisify(execFile);

/** Where bench/peers/go lives. */
export const goBenchDir: string = join(packageRoot, 'bench', 'peers', 'go');

/** Debian's Go, for when `go` is not on PATH. */
const FALLBACK_GO_DIRS = ['/usr/lib/go/bin', '/usr/lib/go-1.19/bin', '/usr/local/go/bin'];

/** The Go toolchain: found, or why not. */
export type GoToolchain =
  | { state: 'installed'; go: string; version: string }
  | { state: 'not-installed'; reason: string };

/** Finds `go` on PATH, else in Debian's and the official install locations. */
export async function findGo(env: NodeJS.ProcessEnv = process.env): Promise<GoToolchain> {
  const dirs = [...(env.PATH ?? '').split(delimiter).filter((d) => d !== ''), ...FALLBACK_GO_DIRS];
  for (const dir of dirs) {
    const go = join(dir, 'go');
    if (!existsSync(go)) continue;
    try {
      const { stdout } = await run(go, ['version'], { env: goEnv(env), timeout: 30_000 });
      return { state: 'installed', go, version: stdout.trim() };
    } catch {
      // not runnable (a broken link, another program named go): keep looking
    }
  }
  return {
    state: 'not-installed',
    reason: 'not installed: no `go` on PATH or in /usr/lib/go/bin (install the Debian package golang-go)',
  };
}

function goEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const cache = env.GOCACHE ?? join(tmpdir(), 'poolscope-gocache');
  mkdirSync(cache, { recursive: true });
  return {
    ...env,
    GOCACHE: cache,
    GOPROXY: 'off',
    GOFLAGS: '-mod=mod',
    GOTOOLCHAIN: 'local',
    GOTELEMETRY: 'off',
    GOWORK: 'off',
  };
}

/** Options of {@link runGoBenchmarks}. */
export interface GoRunOptions {
  /** `-count`: samples per benchmark. @default 5 */
  count?: number;
  /** `-benchtime`, per sample, in ms. @default 200 */
  benchTimeMs?: number;
  /** Scenarios to run. @default all four */
  scenarios?: readonly GoScenario[];
  /** The toolchain to use. @default what {@link findGo} finds */
  toolchain?: GoToolchain;
  /** batch's K. @default 32 */
  batch?: number;
  /** gc-churn's M (runtime.GC() every M operations). @default 4096 */
  clearEvery?: number;
}

export const GO_SCENARIOS = ['get-put', 'batch', 'producer-consumer', 'gc-churn'] as const;
export type GoScenario = (typeof GO_SCENARIOS)[number];

const BENCH_OF: Record<GoScenario, string> = {
  'get-put': 'GetPut',
  batch: 'Batch',
  'producer-consumer': 'ProducerConsumer',
  'gc-churn': 'GcChurn',
};

/** What a Go run produced: results and the raw text, or why it did not run. */
export type GoRunResult =
  | { state: 'ran'; version: string; results: BenchmarkResult[]; output: string }
  | { state: 'not-installed'; reason: string };

/** Runs the Go benchmarks; `not-installed` when there is no Go. A failing `go test` throws with its output. */
export async function runGoBenchmarks(options: GoRunOptions = {}): Promise<GoRunResult> {
  const toolchain = options.toolchain ?? (await findGo());
  if (toolchain.state !== 'installed') return toolchain;
  const count = options.count ?? 5;
  const benchtime = `${options.benchTimeMs ?? 200}ms`;
  const scenarios = options.scenarios ?? GO_SCENARIOS;
  const serial = scenarios.filter((s) => s !== 'producer-consumer').map((s) => BENCH_OF[s]);
  const invocations: Array<{ regex: string; cpu: string }> = [];
  if (serial.length > 0) invocations.push({ regex: `^Benchmark(${serial.join('|')})$`, cpu: '1' });
  if (scenarios.includes('producer-consumer')) invocations.push({ regex: '^BenchmarkProducerConsumer$', cpu: '2' });
  let output = '';
  for (const { regex, cpu } of invocations) {
    const args = [
      'test',
      '-run',
      '^$',
      '-bench',
      regex,
      '-count',
      String(count),
      '-benchtime',
      benchtime,
      '-cpu',
      cpu,
      '.',
      // Flags of the test binary (bench/peers/go): K and M.
      '-args',
      `-poolscope.batch=${options.batch ?? 32}`,
      `-poolscope.clearEvery=${options.clearEvery ?? 4096}`,
    ];
    try {
      const { stdout } = await run(toolchain.go, args, {
        cwd: goBenchDir,
        env: goEnv(process.env),
        maxBuffer: 16 << 20,
        timeout: 30 * 60_000,
      });
      output += stdout;
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message?: string };
      throw new Error(
        `go ${args.join(' ')} failed in ${goBenchDir}: ${e.message ?? ''}\n${e.stdout ?? ''}${e.stderr ?? ''}`,
        {
          cause: err,
        },
      );
    }
  }
  return { state: 'ran', version: toolchain.version, results: goBenchToResults(parseGoBench(output)), output };
}
