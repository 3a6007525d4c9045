/** `poolscope probe` and `poolscope peers --probe` list every peer with its state (and why, when it cannot run). */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../lib/binding.js';

const cli = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', ...args], {
    encoding: 'utf8',
    env,
    cwd: packageRoot,
  });

describe('peers in probe', () => {
  it('probe prints a peers block with every allocator peer and Go', () => {
    const out = cli(process.env, 'probe');
    const block = out.slice(out.indexOf('\npeers\n'));
    for (const name of ['mimalloc', 'jemalloc', 'tcmalloc', 'go-sync']) {
      expect(block).toMatch(new RegExp(`^${name}\\s+(loaded|not-installed|cannot-load|installed)\\b`, 'm'));
    }
  });

  it('probe --json carries the peers status', () => {
    const json = JSON.parse(cli(process.env, 'probe', '--json')) as { peers: { allocators: Array<{ name: string }> } };
    expect(json.peers.allocators.map((a) => a.name)).toEqual(['mimalloc', 'jemalloc', 'tcmalloc']);
  });

  it('peers --probe without the static-TLS tunable names the setting jemalloc needs, if it cannot load', () => {
    const env = { ...process.env };
    delete env.GLIBC_TUNABLES;
    const out = cli(env, 'peers', '--probe');
    const je = out.split('\n').find((l) => l.startsWith('jemalloc'));
    expect(je).toBeDefined();
    if (je?.includes('cannot-load')) expect(je).toContain('GLIBC_TUNABLES=glibc.rtld.optional_static_tls=4096');
  });
});
