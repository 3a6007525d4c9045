/**
 * What `npm pack` puts in the tarball (package.json "files"): the compiled
 * JS and its type declarations, the prebuilds, and exactly what the fallback
 * source build needs — nothing from tests, results or build folders. The full
 * install is scripts/test-package.sh (`npm run test:package`); this is the
 * quick check of the file list, from the checkout's current dist/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

interface PackEntry {
  path: string;
}

function packedFiles(): string[] {
  // --ignore-scripts: list the tree as it is, without re-running `prepare` (tsc)
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm pack --dry-run failed: ${r.stderr}`);
  const [pack] = JSON.parse(r.stdout) as { files: PackEntry[] }[];
  if (pack === undefined) throw new Error('npm pack --dry-run printed no package');
  return pack.files.map((f) => f.path).sort();
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  types: string;
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
  engines: { node: string };
  scripts: Record<string, string>;
};

/** The addon's sources and every header they include from native/, transitively. */
function nativeBuildInputs(): string[] {
  const listed = readFileSync(join(root, 'native/sources.txt'), 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);
  const seen = new Set<string>();
  const queue = [...listed];
  for (let path = queue.pop(); path !== undefined; path = queue.pop()) {
    if (seen.has(path)) continue;
    seen.add(path);
    const text = readFileSync(join(root, path), 'utf8');
    for (const [, include] of text.matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)) {
      if (include === undefined) continue;
      // binding.gyp's include dirs are native/ and the including file's folder
      const candidates = [join('native', include), join(dirname(path), include)].map(normalize);
      const found = candidates.find((c) => existsSync(join(root, c)));
      if (found !== undefined) queue.push(found);
    }
  }
  return [...seen].sort();
}

describe('package contents', () => {
  const files = packedFiles();

  it('holds only the compiled library, prebuilds, the native sources and the package docs', () => {
    const allowed = [
      /^dist\/.+\.(js|d\.ts)$/,
      /^prebuilds\/[^/]+\/[^/]+\.node$/,
      /^native\/(?!test\/|bench\/).+\.(hpp|h|cpp|inc)$/,
      /^native\/sources\.txt$/,
      /^binding\.gyp$/,
      /^scripts\/sources\.cjs$/,
      /^(package\.json|README\.md|LICENSE)$/,
    ];
    const unexpected = files.filter((f) => !allowed.some((re) => re.test(f)));
    expect(unexpected).toEqual([]);
  });

  it('holds everything the fallback node-gyp build reads', () => {
    for (const f of ['binding.gyp', 'scripts/sources.cjs', 'native/sources.txt', ...nativeBuildInputs()]) {
      expect(files, `${f} missing from the tarball`).toContain(f);
    }
  });

  it('holds the files package.json points at: main, types, exports, bin', () => {
    const targets = [pkg.main, pkg.types, ...Object.values(pkg.bin)];
    for (const entry of Object.values(pkg.exports)) {
      targets.push(...(typeof entry === 'string' ? [entry] : Object.values(entry)));
    }
    for (const target of targets) expect(files).toContain(normalize(target));
    const bin = readFileSync(join(root, Object.values(pkg.bin)[0] ?? ''), 'utf8');
    expect(bin.startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('asks for Node 20 or newer and installs through node-gyp-build', () => {
    expect(pkg.engines.node).toBe('>=20');
    expect(pkg.scripts.install).toBe('node-gyp-build');
  });
});
