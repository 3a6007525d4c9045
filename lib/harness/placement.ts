/**
 * Placement-randomized sampling (docs/benchmarks.md): every sample runs with
 * its loop's stack moved by a random multiple of 16 bytes (0–4080), the
 * pool's per-thread records at a random cache line of a page, and one of 8
 * code copies of the loop whose heads differ mod 64 bytes. The draws come
 * from one seeded generator per run, in sample order, so `seed` reproduces
 * them (Mytkowicz et al. 2009; Curtsinger & Berger 2013).
 */
import { randomInt } from 'node:crypto';
import { DEFAULTS } from '../limits.js';
import {
  MAX_CODE_COPY,
  MAX_DATA_OFFSET,
  MAX_STACK_OFFSET,
  type RunPlacement,
  type SamplePlacement,
} from '../results/schema.js';
import { seededUint32 } from '../stats.js';
import { expectBoolean } from '../validate.js';
import { type FieldNames, limitedInteger, nameOf } from './options.js';

/** The placement every sample gets with randomization off: no offsets, code copy 0. */
export const FIXED_PLACEMENT: Readonly<SamplePlacement> = { stackOffset: 0, dataOffset: 0, codeCopy: 0 };

/** `seed` and `randomize` of the run options, checked (named as `field` names them), with a fresh random seed when none is given. */
export function resolvePlacement(field: FieldNames, o: Record<string, unknown>): RunPlacement {
  const randomized =
    o.randomize === undefined ? DEFAULTS.randomize : expectBoolean(nameOf(field, 'randomize'), o.randomize);
  const seed = o.seed === undefined ? randomInt(0, 2 ** 32) : limitedInteger(field, 'seed', o.seed);
  return { randomized, seed };
}

/** The run's sequence of sample placements (mulberry32 over the seed: small, fast, and the same everywhere). */
export class PlacementDraws {
  private readonly uint32: () => number;

  constructor(readonly run: RunPlacement) {
    this.uint32 = seededUint32(run.seed);
  }

  /** The next sample's placement (always FIXED_PLACEMENT when randomization is off). */
  next(): SamplePlacement {
    if (!this.run.randomized) return { ...FIXED_PLACEMENT };
    return {
      stackOffset: 16 * this.below(MAX_STACK_OFFSET / 16 + 1),
      dataOffset: 64 * this.below(MAX_DATA_OFFSET / 64 + 1),
      codeCopy: this.below(MAX_CODE_COPY + 1),
    };
  }

  /** An integer in [0, n), n ≤ 2^16 (the bias of the modulo is below 2^-16). */
  private below(n: number): number {
    return this.uint32() % n;
  }
}
