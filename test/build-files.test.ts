/**
 * The addon has two build descriptions — binding.gyp (node-gyp: `npm install`'s
 * fallback and what prebuildify packs) and CMakeLists.txt (cmake-js) — and
 * they must build the same addon. Both read the one source list,
 * native/sources.txt; these tests check that they do, that the list is
 * complete, and that the two builds export the same functions.
 *
 * The last test builds with cmake-js (incrementally, in build-cmake/) and
 * compares with build/Release when that is up to date (as after `npm ci`),
 * else builds with node-gyp in a staging copy under
 * build-native/node-gyp-check/ (never in build/, which other tests may have
 * loaded). On 2 cores: ~1 min per build after a source change, seconds when
 * nothing changed.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/** native/sources.txt's entries, as CMakeLists.txt parses them ('#' comments, blank lines). */
function listedSources(): string[] {
  return readFileSync(join(root, 'native/sources.txt'), 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '');
}

function filesUnder(dir: string, suffix: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(suffix)) {
      out.push(relative(root, join(entry.parentPath, entry.name)));
    }
  }
  return out.sort();
}

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  const r = spawnSync(command, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

/** The addon's export names, loaded in a child process of its own. */
function exportsOf(addonPath: string): string[] {
  const out = run(
    process.execPath,
    ['-e', `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(addonPath)}))))`],
    root,
  );
  return (JSON.parse(out) as string[]).sort();
}

/** Newest modification time (ms) of the inputs of the addon build. */
function newestBuildInput(): number {
  const inputs = ['binding.gyp', 'native/sources.txt', 'scripts/sources.cjs'];
  for (const dir of readdirSync(join(root, 'native'), { withFileTypes: true })) {
    if (dir.isDirectory() && dir.name !== 'test') inputs.push(...filesUnder(join('native', dir.name), ''));
  }
  return Math.max(...inputs.map((f) => statSync(join(root, f)).mtimeMs));
}

/**
 * build/Release/poolscope.node when it is newer than every build input (as
 * right after `npm ci` or `scripts/dev-lock.sh build`): only read, in a child
 * process, never rebuilt here.
 */
function freshGypBuild(): string | undefined {
  const built = join(root, 'build/Release/poolscope.node');
  return existsSync(built) && statSync(built).mtimeMs > newestBuildInput() ? built : undefined;
}

/**
 * Otherwise node-gyp in a staging copy with what the packed package has
 * (package.json "files"), so build/ is never touched; copies keep mtimes, so
 * make rebuilds only what changed since the last run.
 */
function stagedGypBuild(lock: string): string {
  const stage = join(root, 'build-native/node-gyp-check');
  rmSync(join(stage, 'native'), { recursive: true, force: true });
  mkdirSync(join(stage, 'scripts'), { recursive: true });
  for (const file of ['package.json', 'binding.gyp', '.npmrc', 'scripts/sources.cjs', 'native/sources.txt']) {
    cpSync(join(root, file), join(stage, file), { preserveTimestamps: true });
  }
  for (const dir of readdirSync(join(root, 'native'), { withFileTypes: true })) {
    if (dir.isDirectory() && dir.name !== 'test') {
      cpSync(join(root, 'native', dir.name), join(stage, 'native', dir.name), {
        recursive: true,
        preserveTimestamps: true,
      });
    }
  }
  if (!existsSync(join(stage, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(stage, 'node_modules'));
  run('flock', [lock, 'npm', 'run', '--silent', 'build:addon'], stage, { npm_config_jobs: 'max' });
  return join(stage, 'build/Release/poolscope.node');
}

describe('build files', () => {
  it('binding.gyp takes its sources from scripts/sources.cjs, which prints native/sources.txt', () => {
    const gyp = readFileSync(join(root, 'binding.gyp'), 'utf8');
    expect(gyp).toMatch(/"sources":\s*\["<!@\(node scripts\/sources\.cjs\)"\]/);
    const printed = run(process.execPath, ['scripts/sources.cjs'], root).split('\n').filter(Boolean);
    expect(printed).toEqual(listedSources());
  });

  it('CMakeLists.txt reads native/sources.txt and reconfigures when it changes', () => {
    const cmake = readFileSync(join(root, 'CMakeLists.txt'), 'utf8');
    expect(cmake).toMatch(/file\(STRINGS native\/sources\.txt /);
    // without this, adding a line to sources.txt leaves an existing build-cmake/ on the old list
    expect(cmake).toMatch(/CMAKE_CONFIGURE_DEPENDS[^)]*native\/sources\.txt/);
  });

  it('lists every .cpp under native/addon, each once, and nothing that does not exist', () => {
    const listed = listedSources();
    expect(new Set(listed).size).toBe(listed.length);
    for (const path of listed) expect(existsSync(join(root, path)), `${path} is listed but missing`).toBe(true);
    const unlisted = filesUnder('native/addon', '.cpp').filter((path) => !listed.includes(path));
    expect(unlisted, 'add these to native/sources.txt').toEqual([]);
  });

  it('node-gyp and cmake-js build addons exporting the same functions', { timeout: 600_000 }, () => {
    const lock = '/tmp/poolscope-build-files.lock'; // two runs of this test must not share a build dir at once

    run('flock', [lock, 'npm', 'run', '--silent', 'build:cmake'], root);
    const cmakeAddon = join(root, 'build-cmake/Release/poolscope.node');

    const gypAddon = freshGypBuild() ?? stagedGypBuild(lock);
    const gypExports = exportsOf(gypAddon);
    expect(gypExports).toContain('napiVersion');
    expect(exportsOf(cmakeAddon)).toEqual(gypExports);
  });
});
