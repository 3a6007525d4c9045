/**
 * The addon loader (lib/binding.ts): POOLSCOPE_ADDON_DIR picks the build to
 * load (what `npm run test:portable` uses for the portable one), a directory
 * without poolscope.node is a typed error and, on the CLI, one line with exit
 * code 2; the addon says which platform layer it was built with.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADDON_DIR_ENV, addonPath, packageRoot, platformLayer } from '../lib/binding.js';
import { AddonLoadError } from '../lib/errors.js';
import { cli } from './cli-run.js';

const empty = mkdtempSync(join(tmpdir(), 'poolscope-no-addon-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

/** platformLayer as a fresh node process with `env` loads it. */
function layerInChild(env: NodeJS.ProcessEnv): string {
  const script = `import('./lib/binding.ts').then((b) => process.stdout.write(b.platformLayer()))`;
  return execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: packageRoot, env, encoding: 'utf8' });
}

describe('addon loader', () => {
  it('POOLSCOPE_ADDON_DIR names the directory of the poolscope.node to load, absolute or relative', () => {
    const dir = dirname(addonPath());
    expect(addonPath({ [ADDON_DIR_ENV]: dir })).toBe(join(dir, 'poolscope.node'));
    expect(addonPath({ [ADDON_DIR_ENV]: relative(process.cwd(), dir) || '.' })).toBe(join(dir, 'poolscope.node'));
  });

  it('a directory without poolscope.node is an AddonLoadError naming the variable and the path tried', () => {
    let caught: unknown;
    try {
      addonPath({ [ADDON_DIR_ENV]: empty });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AddonLoadError);
    expect((caught as AddonLoadError).code).toBe('ERR_ADDON_NOT_FOUND');
    expect((caught as Error).message).toContain(`POOLSCOPE_ADDON_DIR is '${empty}'`);
    expect((caught as Error).message).toContain(join(empty, 'poolscope.node'));
  });

  it('on the CLI that is a user error: one line, exit code 2, no stack', async () => {
    const r = await cli(['probe'], { ...process.env, [ADDON_DIR_ENV]: empty });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('POOLSCOPE_ADDON_DIR');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('reports its platform layer: the default build is the OS own, the override is the build it names', () => {
    const env = { ...process.env };
    delete env[ADDON_DIR_ENV];
    expect(layerInChild(env)).toBe(process.platform === 'linux' ? 'linux' : 'portable');
    // this process: whatever POOLSCOPE_ADDON_DIR named (npm run test:portable: the portable build)
    const override = process.env[ADDON_DIR_ENV];
    if (override) {
      console.log(`branch: ${ADDON_DIR_ENV}=${override}; this process loaded platform layer ${platformLayer()}`);
      expect(layerInChild(process.env)).toBe(platformLayer());
      expect(['linux', 'portable']).toContain(platformLayer());
    } else {
      expect(platformLayer()).toBe(layerInChild(env));
    }
  });
});
