/**
 * One list per concept: the core owns the names of scenarios
 * (native/core/loop_spec.hpp), pools, layouts and publish instructions
 * (native/core/make_pool.hpp) and the addon exports them; lib/ spells the
 * same lists for its types (lib/harness/scenarios.ts, lib/pool.ts), and this
 * test keeps the two the same, in the same order.
 */
import { describe, expect, it } from 'vitest';
import { nativeAddon } from '../lib/binding.js';
import { SCENARIOS } from '../lib/harness/scenarios.js';
import { POOL_KINDS, POOL_LAYOUTS, POOL_PUBLISH } from '../lib/pool.js';

interface NamesAddon {
  poolscopeNames(): { pools: string[]; layouts: string[]; publishes: string[]; scenarios: string[] };
}

describe("the core's lists and lib/'s", () => {
  const native = nativeAddon<NamesAddon>().poolscopeNames();

  it('pool kinds, layouts and publish instructions are the same lists', () => {
    expect([...POOL_KINDS]).toEqual(native.pools);
    expect([...POOL_LAYOUTS]).toEqual(native.layouts);
    expect([...POOL_PUBLISH]).toEqual(native.publishes);
  });

  it('the scenarios are the same list', () => {
    expect([...SCENARIOS]).toEqual(native.scenarios);
  });
});
