/**
 * The `poolscope` bin works with jemalloc as launched from a plain shell:
 * without GLIBC_TUNABLES it re-executes itself with the static-TLS tunable
 * (same argv, stdio inherited, exit code propagated, signals forwarded).
 * The jemalloc run is skipped with one line where jemalloc is not installed
 * (and fails instead under POOLSCOPE_REQUIRE_PEERS=1).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasStaticTlsTunable, mayLoadAllocatorPeer, withStaticTlsTunable } from '../lib/cli/reexec.js';
import { probeAllocatorPeers } from '../lib/peers/allocators.js';
import { cli, envWithoutTunable, spawnCli } from './cli-run.js';
import { aptInstall, optionalPeer } from './fixtures/optional-peers.js';

const jemalloc = probeAllocatorPeers().find((p) => p.name === 'jemalloc');
const haveJemalloc = optionalPeer(
  'jemalloc',
  jemalloc !== undefined && jemalloc.state !== 'not-installed',
  aptInstall('libjemalloc2'),
);

describe('which commands re-execute', () => {
  it.each([
    [['run', '--scenario', 'alloc', '--pool', 'jemalloc'], true],
    [['run', '--scenario', 'get-put', '--pool=tcmalloc'], true],
    [['run', '--scenario', 'get-put', '--pool', 'sync'], false],
    [['run', '--scenario', 'get-put'], false],
    [['bench', '--quick'], true],
    [['bench', '--no-peers'], false],
    [['peers'], true],
    [['peers', '--from', 'r.json'], false],
    [['probe', '--json'], true],
    [['report', 'r.json'], false],
    [['run', '--pool', 'jemalloc', '--help'], false],
  ])('%j → %s', (args, expected) => {
    expect(mayLoadAllocatorPeer(args)).toBe(expected);
  });

  it('adds the tunable to what GLIBC_TUNABLES held', () => {
    expect(hasStaticTlsTunable({})).toBe(false);
    expect(withStaticTlsTunable({}).GLIBC_TUNABLES).toBe('glibc.rtld.optional_static_tls=4096');
    const env = withStaticTlsTunable({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' });
    expect(env.GLIBC_TUNABLES).toBe('glibc.malloc.arena_max=2:glibc.rtld.optional_static_tls=4096');
    expect(hasStaticTlsTunable(env)).toBe(true);
  });
});

describe('the bin from a plain shell (no GLIBC_TUNABLES)', () => {
  it.skipIf(!haveJemalloc)('runs the alloc scenario on jemalloc', async () => {
    const r = await cli(
      ['run', '--scenario', 'alloc', '--pool', 'jemalloc', '--ops', '2000', '-r', '1', '--warmup', '0', '--json', '-q'],
      envWithoutTunable(),
    );
    expect(r.stderr).not.toMatch(/static TLS/);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { benchmarks: { params: { pool: string }; samples: unknown[] }[] };
    expect(doc.benchmarks[0]?.params.pool).toBe('jemalloc');
    expect(doc.benchmarks[0]?.samples).toHaveLength(1);
  });

  it.skipIf(!haveJemalloc)(
    'without the re-exec (POOLSCOPE_REEXEC=0), jemalloc cannot load: one line, exit 2',
    async () => {
      const r = await cli(['run', '--scenario', 'alloc', '--pool', 'jemalloc', '--ops', '2000', '-q'], {
        ...envWithoutTunable(),
        POOLSCOPE_REEXEC: '0',
      });
      const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/jemalloc.*static TLS.*GLIBC_TUNABLES=glibc\.rtld\.optional_static_tls=4096/);
      expect(r.code).toBe(2);
    },
  );

  it("propagates the child's exit code (a usage error in the re-executed run is 2)", async () => {
    const r = await cli(['run', '--scenario', 'alloc', '--pool', 'jemalloc', '--threads', '0'], envWithoutTunable());
    expect(r.stderr.trim()).toMatch(/^poolscope run: --threads must be an integer from 1 to 64 \(received 0\)/);
    expect(r.code).toBe(2);
  });

  it('forwards SIGINT to the child once: the run stops, keeps what finished, exits 130', async () => {
    // bench re-executes (its suite may hold the peers); the tiny suite runs no peer itself.
    const child = spawnCli(
      [
        'bench',
        '--suite',
        'tiny',
        '--no-fidelity',
        '--ops',
        '200000',
        '-r',
        '1000',
        '--out',
        '/tmp/poolscope-reexec-test',
        '--json',
      ],
      envWithoutTunable(),
    );
    let stderr = '';
    let stdout = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    const running = new Promise<void>((resolve) => {
      child.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/\[1\/8\] .* running/.test(stderr)) resolve();
      });
    });
    await running;
    // The parent has re-executed: its child carries the tunable.
    const pid = child.pid as number;
    let childEnv = '';
    try {
      const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
      childEnv = readFileSync(`/proc/${kids[0]}/environ`, 'utf8');
    } catch {
      childEnv = 'unreadable';
    }
    if (childEnv !== 'unreadable') expect(childEnv).toContain('GLIBC_TUNABLES=glibc.rtld.optional_static_tls=4096');
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(stderr).toMatch(/interrupted, stopping the workers/);
    expect(code, stderr).toBe(130);
    const doc = JSON.parse(stdout) as { interrupted?: boolean };
    expect(doc.interrupted).toBe(true);
  });
});
