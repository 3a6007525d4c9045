/**
 * One list per concept: the core owns the names of pools, layouts and
 * publish instructions (native/core/make_pool.hpp) and the addon exports
 * them; lib/pool.ts spells the same lists for the types, and this test keeps
 * the two the same, in the same order.
 */
import { describe, expect, it } from 'vitest';
import { nativeAddon } from '../lib/binding.js';
import { POOL_KINDS, POOL_LAYOUTS, POOL_PUBLISH } from '../lib/pool.js';

interface NamesAddon {
  poolscopeNames(): { pools: string[]; layouts: string[]; publishes: string[] };
}

describe("the core's lists and lib/'s", () => {
  const native = nativeAddon<NamesAddon>().poolscopeNames();

  it('pool kinds, layouts and publish instructions are the same lists', () => {
    expect([...POOL_KINDS]).toEqual(native.pools);
    expect([...POOL_LAYOUTS]).toEqual(native.layouts);
    expect([...POOL_PUBLISH]).toEqual(native.publishes);
  });
});
