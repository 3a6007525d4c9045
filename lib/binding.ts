/**
 * Loads the native addon: a prebuild from `prebuilds/<platform>-<arch>/` when
 * one matches, else the local build in `build/Release/` (node-gyp-build's
 * rules). Each area of the library declares the shape of its own part of the
 * addon and reads it through {@link nativeAddon}; nothing else loads it.
 *
 * `POOLSCOPE_ADDON_DIR` overrides that choice: the directory holding the
 * `poolscope.node` to load (absolute, or relative to the working directory),
 * such as `build-portable/build/Release` from `npm run build:addon:portable`.
 * Worker threads and child processes inherit it, so a whole test run loads
 * one build.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AddonLoadError } from './errors.js';

/** The package root: lib/ (sources) and dist/ (compiled) both sit one level below it. */
export const packageRoot: string = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The environment variable naming the directory of the addon build to load instead of node-gyp-build's choice. */
export const ADDON_DIR_ENV = 'POOLSCOPE_ADDON_DIR';

const require = createRequire(import.meta.url);

/**
 * The path of the `poolscope.node` this process loads: `$POOLSCOPE_ADDON_DIR/poolscope.node`
 * when the variable is set (non-empty), else node-gyp-build's pick for the package root.
 * @throws {AddonLoadError} `ERR_ADDON_NOT_FOUND` when the variable names a directory without `poolscope.node`.
 */
export function addonPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env[ADDON_DIR_ENV];
  if (dir === undefined || dir === '') {
    const gypBuild = require('node-gyp-build') as { resolve(dir: string): string };
    return gypBuild.resolve(packageRoot);
  }
  const file = join(resolve(dir), 'poolscope.node');
  if (!existsSync(file)) {
    throw new AddonLoadError(
      'ERR_ADDON_NOT_FOUND',
      `${ADDON_DIR_ENV} is '${dir}', but ${file} does not exist: set it to a directory holding a built ` +
        `poolscope.node (npm run build:addon:portable builds build-portable/build/Release), or unset it`,
    );
  }
  return file;
}

let loaded: unknown;

/**
 * The addon's exports, typed by the caller (`nativeAddon<PoolAddon>()`).
 * Loaded once per isolate (each worker thread loads its own instance).
 * @throws {AddonLoadError} when {@link ADDON_DIR_ENV} names no build.
 */
export function nativeAddon<T>(): T {
  if (loaded === undefined) loaded = require(addonPath());
  return loaded as T;
}

/** Which platform layer the loaded addon was built with (native/platform/select.hpp). */
export type PlatformLayer = 'linux' | 'portable';

/**
 * `'linux'`: perf_event_open counters and CPU pinning work; `'portable'`: the
 * layer macOS and Windows build (every perf event `not-supported`, nothing
 * pinned), also buildable on Linux (`npm run build:addon:portable`).
 * @throws {AddonLoadError} when `POOLSCOPE_ADDON_DIR` names no build.
 * @example
 * ```ts
 * import { platformLayer } from 'poolscope';
 * if (platformLayer() === 'portable') console.log('no hardware counters on this build');
 * ```
 */
export function platformLayer(): PlatformLayer {
  return nativeAddon<{ platformLayer: PlatformLayer }>().platformLayer;
}
