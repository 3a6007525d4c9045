/**
 * Loads the native addon: a prebuild from `prebuilds/<platform>-<arch>/` when
 * one matches, else the local build in `build/Release/` (node-gyp-build's
 * rules). Each area of the library declares the shape of its own part of the
 * addon and reads it through {@link nativeAddon}; nothing else loads it.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: lib/ (sources) and dist/ (compiled) both sit one level below it. */
export const packageRoot: string = join(dirname(fileURLToPath(import.meta.url)), '..');

const require = createRequire(import.meta.url);

let loaded: unknown;

/**
 * The addon's exports, typed by the caller (`nativeAddon<PoolAddon>()`).
 * Loaded once per isolate (each worker thread loads its own instance).
 */
export function nativeAddon<T>(): T {
  if (loaded === undefined) {
    const load = require('node-gyp-build') as (dir: string) => unknown;
    loaded = load(packageRoot);
  }
  return loaded as T;
}
