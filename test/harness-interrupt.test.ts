/**
 * Ctrl-C: SIGINT to a `poolscope run` or `bench` in progress stops the
 * workers, keeps the samples that finished, writes them marked
 * `interrupted`, and exits 130 (not killed by the signal, not hung).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseResults } from '../lib/results/parse.js';
import { spawnCli } from './cli-run.js';

const dir = mkdtempSync(join(tmpdir(), 'poolscope-interrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Starts the CLI, waits until its progress says a benchmark is `running`, lets it run `afterMs`
 * more, sends SIGINT to it (only to it: a terminal's Ctrl-C would reach its children too) and
 * returns how it exited and what it printed on stderr.
 */
async function interruptWhileRunning(
  args: readonly string[],
  afterMs: number,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const child = spawnCli(args);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  for (let i = 0; i < 600 && !stderr.includes('running'); i++) await new Promise((r) => setTimeout(r, 50));
  expect(stderr).toContain('running');
  await new Promise((r) => setTimeout(r, afterMs));
  child.kill('SIGINT');
  return { ...(await exited), stderr };
}

describe('SIGINT during a run', () => {
  it('keeps the finished samples, marked interrupted, and exits 130', async () => {
    const json = join(dir, 'out.json');
    // 1000 samples of 50 ms each: far longer than the test waits.
    const { code, signal, stderr } = await interruptWhileRunning(
      [
        'run',
        '--scenario',
        'get-put',
        '--threads',
        '2',
        '--duration',
        '50',
        '--repeat',
        '1000',
        '--events',
        'task-clock',
        '--json',
        json,
      ],
      800,
    );
    expect(stderr).toContain('[1/1] GetPut/pool=sync/layout=pad128/publish=xadd-2 running');
    expect(signal).toBeNull();
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted');

    const doc = parseResults(readFileSync(json, 'utf8'), json);
    expect(doc.interrupted).toBe(true);
    expect(doc.benchmarks).toHaveLength(1);
    const b = doc.benchmarks[0];
    expect(b?.interrupted).toBe(true);
    expect(b?.samples.length).toBeGreaterThanOrEqual(1);
    expect(b?.samples.length).toBeLessThan(1000);
    for (const s of b?.samples ?? []) expect(s.elapsedNs).toBeGreaterThanOrEqual(50e6); // only whole samples are kept
  });
});

describe('SIGINT during a bench split across processes', () => {
  it('stops the running process, starts no other, and writes what finished, marked interrupted', async () => {
    const out = join(dir, 'bench');
    const { code, signal, stderr } = await interruptWhileRunning(
      ['bench', '--suite', 'tiny', '--no-fidelity', '--repeat', '2000', '--processes', '2', '--out', out],
      500,
    );
    expect(stderr).toContain('process 1 of 2');
    expect(signal).toBeNull();
    expect(code).toBe(130);
    expect(stderr).not.toContain('process 2 of 2');
    const doc = parseResults(readFileSync(join(out, 'results.json'), 'utf8'), 'results.json');
    expect(doc.interrupted).toBe(true);
    expect(doc.benchmarks.length).toBeGreaterThanOrEqual(1);
    for (const b of doc.benchmarks) for (const s of b.samples) expect(s.process).toBe(0);
  });
});
